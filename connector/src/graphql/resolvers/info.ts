import { arch, platform, release } from 'node:os';
import type { QueryResolvers } from '../generated/resolvers.js';

export const API_VERSION = '1.0.0';
const OS = `${platform()} ${release()}`;

export const infoQuery: QueryResolvers['info'] = (_p, _a, { services, label }) => ({
  name: 'cardlink-connector',
  version: services.version,
  apiVersion: API_VERSION,
  os: OS,
  arch: arch(),
  uptimeSeconds: Math.floor((Date.now() - services.startedAt) / 1000),
  label,
  pcscAvailable: services.readers.available(),
  managed: services.managed(),
  deviceId: services.deviceId(),
});
