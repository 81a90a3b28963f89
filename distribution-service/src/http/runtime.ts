import type { DeviceAuthenticator } from '../auth/device-auth.js';
import type { DeviceKeyCache } from '../auth/device-keys.js';
import type { ServiceContext } from '../services/context.js';
import type { Faults } from './faults.js';

/** What the routes share within one DS process. */
export interface DsRuntime {
  ctx: ServiceContext;
  auth: DeviceAuthenticator;
  keys: DeviceKeyCache;
  faults: Faults;
}
