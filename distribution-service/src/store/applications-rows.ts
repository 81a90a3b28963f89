import type { LogLevel } from '@cardlink/ds-protocol';
import type { Application, ConsentMode, Organisation, PinEntry } from './applications.js';
import { num, numOrNull, textOrNull, type Row } from './rows.js';

/** Row mappers of the applications area, shared by the SQLite and PostgreSQL stores. */
export const toOrganisation = (r: Row): Organisation => ({
  id: r.id as string,
  name: r.name as string,
  createdAt: r.created_at as string,
  corsVersion: num(r.cors_version),
  configVersion: num(r.config_version),
  dsCycleSeconds: numOrNull(r.ds_cycle_seconds),
  logLevel: textOrNull(r.log_level) as LogLevel | null,
});

export const toApplication = (r: Row): Application => ({
  id: r.id as string,
  orgId: r.org_id as string,
  label: r.label as string,
  name: r.name as string,
  createdAt: r.created_at as string,
  pinEntry: r.pin_entry as PinEntry,
  consent: r.consent as ConsentMode,
  pinReuseMinutes: num(r.pin_reuse_minutes),
});
