import type { LogLevel } from '@cardlink/ds-protocol';
import { DsError } from '../../errors.js';
import type { Application, ApplicationSettings, ApplicationStore, Organisation, OriginRow } from '../applications.js';
import type { AuditEntry } from '../audit.js';
import { isUniqueViolation, type Row, type SqliteDb } from './sqlite-db.js';
import { toOrganisation, toApplication } from '../applications-rows.js';

export class SqliteApplicationStore implements ApplicationStore {
  constructor(private readonly s: SqliteDb) {}

  async createOrganisation(org: { id: string; name: string; createdAt: string }, audit?: AuditEntry): Promise<Organisation> {
    try {
      this.s.write(() => {
        this.s.stmt('INSERT INTO organisations (id, name, created_at) VALUES (?, ?, ?)').run(org.id, org.name, org.createdAt);
        this.s.writeAudit(audit);
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw new DsError('CONFLICT', `organisation ${org.name} already exists`);
      throw e;
    }
    return (await this.findOrganisation(org.id))!;
  }

  async findOrganisation(idOrName: string): Promise<Organisation | undefined> {
    // An id wins over a name that happens to look like one.
    const r = (this.s.stmt('SELECT * FROM organisations WHERE id = ?').get(idOrName) ??
      this.s.stmt('SELECT * FROM organisations WHERE name = ?').get(idOrName)) as Row | undefined;
    return r && toOrganisation(r);
  }

  async listOrganisations(): Promise<Organisation[]> {
    return (this.s.stmt('SELECT * FROM organisations ORDER BY name').all() as Row[]).map(toOrganisation);
  }

  async setOrganisationConfig(
    orgId: string,
    patch: { dsCycleSeconds?: number | null; logLevel?: LogLevel | null },
    audit?: AuditEntry,
  ): Promise<Organisation> {
    this.s.write(() => {
      this.s.writeAudit(audit);
      if (patch.dsCycleSeconds !== undefined) this.s.stmt('UPDATE organisations SET ds_cycle_seconds = ? WHERE id = ?').run(patch.dsCycleSeconds, orgId);
      if (patch.logLevel !== undefined) this.s.stmt('UPDATE organisations SET log_level = ? WHERE id = ?').run(patch.logLevel, orgId);
      this.s.stmt('UPDATE organisations SET config_version = config_version + 1 WHERE id = ?').run(orgId);
    });
    return (await this.findOrganisation(orgId))!;
  }

  async createApplication(app: Application, audit?: AuditEntry): Promise<Application> {
    try {
      this.s.write(() => {
        this.s.stmt('INSERT INTO applications (id, org_id, label, name, created_at, pin_entry, consent, pin_reuse_minutes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
          .run(app.id, app.orgId, app.label, app.name, app.createdAt, app.pinEntry, app.consent, app.pinReuseMinutes);
        this.bumpCors(app.orgId);
        this.s.writeAudit(audit);
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw new DsError('CONFLICT', `label ${app.label} already exists in this organisation`);
      throw e;
    }
    return app;
  }

  async findApplication(orgId: string, label: string): Promise<Application | undefined> {
    const r = this.s.stmt('SELECT * FROM applications WHERE org_id = ? AND label = ?').get(orgId, label) as Row | undefined;
    return r && toApplication(r);
  }

  async listApplications(orgId: string): Promise<Application[]> {
    return (this.s.stmt('SELECT * FROM applications WHERE org_id = ? ORDER BY label').all(orgId) as Row[]).map(toApplication);
  }

  async updateApplication(orgId: string, appId: string, patch: { name?: string; label?: string } & Partial<ApplicationSettings>, audit?: AuditEntry): Promise<Application> {
    try {
      this.s.write(() => {
        const before = this.s.stmt('SELECT * FROM applications WHERE id = ? AND org_id = ?').get(appId, orgId) as Row | undefined;
        if (!before) throw new DsError('NOT_FOUND', 'no such application');
        if (patch.name !== undefined) this.s.stmt('UPDATE applications SET name = ? WHERE id = ?').run(patch.name, appId);
        if (patch.label !== undefined && patch.label !== before.label) {
          this.s.stmt('UPDATE applications SET label = ? WHERE id = ?').run(patch.label, appId);
          this.bumpCors(orgId);
        }
        // New settings reach connectors with the origin list: move its version.
        const settings = { pin_entry: patch.pinEntry, consent: patch.consent, pin_reuse_minutes: patch.pinReuseMinutes };
        let changed = false;
        for (const [column, value] of Object.entries(settings)) {
          if (value === undefined || value === before[column]) continue;
          this.s.stmt(`UPDATE applications SET ${column} = ? WHERE id = ?`).run(value, appId);
          changed = true;
        }
        if (changed) this.bumpCors(orgId);
        this.s.writeAudit(audit);
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw new DsError('CONFLICT', `label ${patch.label} already exists in this organisation`);
      throw e;
    }
    return toApplication(this.s.stmt('SELECT * FROM applications WHERE id = ?').get(appId) as Row);
  }

  async addOrigin(orgId: string, appId: string, origin: string, at: string, audit?: AuditEntry): Promise<boolean> {
    return this.s.write(() => {
      const r = this.s.stmt('INSERT INTO origins (org_id, app_id, origin, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (org_id, origin) DO NOTHING')
        .run(orgId, appId, origin, at);
      if (r.changes === 0) return false;
      this.bumpCors(orgId);
      this.s.writeAudit(audit);
      return true;
    });
  }

  async removeOrigin(orgId: string, appId: string, origin: string, audit?: AuditEntry): Promise<boolean> {
    return this.s.write(() => {
      const r = this.s.stmt('DELETE FROM origins WHERE org_id = ? AND app_id = ? AND origin = ?').run(orgId, appId, origin);
      if (r.changes === 0) return false;
      this.bumpCors(orgId);
      this.s.writeAudit(audit);
      return true;
    });
  }

  async listOrigins(orgId?: string): Promise<OriginRow[]> {
    const sql = `SELECT o.org_id AS orgId, o.origin AS origin, a.label AS label, o.created_at AS createdAt,
                   a.pin_entry AS pinEntry, a.consent AS consent, a.pin_reuse_minutes AS pinReuseMinutes FROM origins o
                 JOIN applications a ON a.id = o.app_id ${orgId ? 'WHERE o.org_id = ?' : ''} ORDER BY o.org_id, a.label, o.origin`;
    return this.s.stmt(sql).all(...(orgId ? [orgId] : [])) as OriginRow[];
  }

  private bumpCors(orgId: string): void {
    this.s.stmt('UPDATE organisations SET cors_version = cors_version + 1 WHERE id = ?').run(orgId);
  }
}
