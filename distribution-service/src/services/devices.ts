import type { Device } from '../store/repository.js';
import type { ServiceContext } from './context.js';
import { requireOrganisation } from './organisations.js';

export async function listDevices(ctx: ServiceContext, org?: string): Promise<Device[]> {
  return ctx.repo.devices.listDevices(org ? (await requireOrganisation(ctx, org)).id : undefined);
}
