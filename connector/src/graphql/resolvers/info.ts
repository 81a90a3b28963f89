import { arch, platform, release } from 'node:os';
import type { QueryResolvers } from '../generated/resolvers.js';
import { consentRequired } from './user-steps.js';

export const API_VERSION = '1.0.0';
const OS = `${platform()} ${release()}`;

export const infoQuery: QueryResolvers['info'] = (_p, _a, ctx) => {
  const { services, label } = ctx;
  const settings = services.appSettings(label);
  return {
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
  pinEntry: settings.pinEntry,
  consent: settings.consent,
  consentRequired: consentRequired(ctx),
  };
};
