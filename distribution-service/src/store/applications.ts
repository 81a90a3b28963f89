import type { ConsentMode, PinEntry } from '@cardlink/ds-protocol';
import type { LogLevel } from '@cardlink/ds-protocol';
import type { AuditEntry } from './audit.js';

export interface Organisation {
  id: string;
  name: string;
  createdAt: string;
  corsVersion: number;
  configVersion: number;
  dsCycleSeconds: number | null;
  logLevel: LogLevel | null;
}

export type { ConsentMode, PinEntry };

/** What an application asks of the user on the connector's own pages (sent with its origins). */
export interface ApplicationSettings {
  /** Who types the PIN: the connector's page (default) or, for legacy integrations, the host page. */
  pinEntry: PinEntry;
  /** Consent before identity reads. */
  consent: ConsentMode;
  /** Minutes a PIN verified in a tab may be reused for authentication (0: every time). */
  pinReuseMinutes: number;
}

export interface Application extends ApplicationSettings {
  id: string;
  orgId: string;
  label: string;
  name: string;
  createdAt: string;
}

export interface OriginRow extends ApplicationSettings {
  orgId: string;
  origin: string;
  label: string;
  createdAt: string;
}

/**
 * Organisations (with their configuration overrides), their applications and CORS origins.
 * Every mutating method takes an optional audit entry, written in the same DB transaction.
 */
export interface ApplicationStore {
  createOrganisation(org: { id: string; name: string; createdAt: string }, audit?: AuditEntry): Promise<Organisation>;
  /** By id or by name (an id wins). */
  findOrganisation(idOrName: string): Promise<Organisation | undefined>;
  listOrganisations(): Promise<Organisation[]>;
  /** Sets (value) or clears (null) overrides; leaves undefined ones; bumps configVersion. */
  setOrganisationConfig(
    orgId: string,
    patch: { dsCycleSeconds?: number | null; logLevel?: LogLevel | null },
    audit?: AuditEntry,
  ): Promise<Organisation>;

  // every change to applications and origins bumps the organisation's corsVersion
  /** CONFLICT if the label is taken. */
  createApplication(app: Application, audit?: AuditEntry): Promise<Application>;
  findApplication(orgId: string, label: string): Promise<Application | undefined>;
  listApplications(orgId: string): Promise<Application[]>;
  /** Rename and/or relabel; a new label bumps corsVersion (the entries carry it). CONFLICT if the label is taken. */
  /** A new label or new settings bump the organisation's corsVersion (connectors get them with the origins). */
  updateApplication(orgId: string, appId: string, patch: { name?: string; label?: string } & Partial<ApplicationSettings>, audit?: AuditEntry): Promise<Application>;
  /** False when the origin is already on this organisation (under any application). */
  addOrigin(orgId: string, appId: string, origin: string, at: string, audit?: AuditEntry): Promise<boolean>;
  /** False when it was not there. */
  removeOrigin(orgId: string, appId: string, origin: string, audit?: AuditEntry): Promise<boolean>;
  /** Ordered by organisation, label, origin. */
  listOrigins(orgId?: string): Promise<OriginRow[]>;
}
