import * as users from '../../src/services/users.js';
import type { DsConfigInput } from '../../src/config.js';
import { startDs, type Harness } from './harness.js';

export const ADMIN = { email: 'admin@acme.test', password: 'admin password 1' };
export const BUSINESS = { email: 'billing@acme.test', password: 'business password 1' };

/** A DS (org acme, app shop) with an admin and a read-only business user. */
export async function startDashboardDs(config: DsConfigInput = {}): Promise<Harness> {
  const h = await startDs(config);
  await users.createUser(h.ds.services, { email: ADMIN.email, role: 'admin', password: ADMIN.password });
  await users.createUser(h.ds.services, { email: BUSINESS.email, role: 'business', password: BUSINESS.password });
  return h;
}
