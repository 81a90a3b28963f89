import type pg from 'pg';
import type { LogLevel } from '@cardlink/ds-protocol';
import { DsError } from '../../errors.js';
import type { Application, ApplicationSettings, ApplicationStore, Organisation, OriginRow } from '../applications.js';
import type { AuditEntry } from '../audit.js';
import { isUniqueViolation, type PgDb, type Row } from './pg-db.js';
import { toOrganisation, toApplication } from '../applications-rows.js';

const ORG_COLUMNS = 'id, name, created_at, cors_version, config_version, ds_cycle_seconds, log_level';

const FIND_ORGANISATION = `SELECT ${ORG_COLUMNS} FROM organisations WHERE id = $1 OR name = $1 ORDER BY (id = $1) DESC LIMIT 1`;

export class PgApplicationStore implements ApplicationStore {
  constructor(private readonly p: PgDb) {}

  async createOrganisation(org: { id: string; name: string; createdAt: string }, audit?: AuditEntry): Promise<Organisation> {
    try {
      await this.p.tx(async (c) => {
        await c.query('INSERT INTO organisations (id, name, created_at) VALUES ($1, $2, $3)', [org.id, org.name, org.createdAt]);
        await this.p.writeAudit(c, audit);
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw new DsError('CONFLICT', `organisation ${org.name} already exists`);
      throw e;
    }
    return (await this.findOrganisation(org.id))!;
  }

  async findOrganisation(idOrName: string): Promise<Organisation | undefined> {
    // An id wins over a name that happens to look like one.
    // Named: every sync reads its organisation.
    const r = await this.p.one({ name: 'ds-find-organisation', text: FIND_ORGANISATION }, [idOrName]);
    return r && toOrganisation(r);
  }

  async listOrganisations(): Promise<Organisation[]> {
    return (await this.p.rows(`SELECT ${ORG_COLUMNS} FROM organisations ORDER BY name`)).map(toOrganisation);
  }

  async setOrganisationConfig(
    orgId: string,
    patch: { dsCycleSeconds?: number | null; logLevel?: LogLevel | null },
    audit?: AuditEntry,
  ): Promise<Organisation> {
    await this.p.tx(async (c) => {
      await this.p.writeAudit(c, audit);
      if (patch.dsCycleSeconds !== undefined) await c.query('UPDATE organisations SET ds_cycle_seconds = $1 WHERE id = $2', [patch.dsCycleSeconds, orgId]);
      if (patch.logLevel !== undefined) await c.query('UPDATE organisations SET log_level = $1 WHERE id = $2', [patch.logLevel, orgId]);
      await c.query('UPDATE organisations SET config_version = config_version + 1 WHERE id = $1', [orgId]);
    });
    return (await this.findOrganisation(orgId))!;
  }

  async createApplication(app: Application, audit?: AuditEntry): Promise<Application> {
    try {
      await this.p.tx(async (c) => {
        await c.query(
          'INSERT INTO applications (id, org_id, label, name, created_at, pin_entry, consent, pin_reuse_minutes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
          [app.id, app.orgId, app.label, app.name, app.createdAt, app.pinEntry, app.consent, app.pinReuseMinutes],
        );
        await bumpCors(c, app.orgId);
        await this.p.writeAudit(c, audit);
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw new DsError('CONFLICT', `label ${app.label} already exists in this organisation`);
      throw e;
    }
    return app;
  }

  async findApplication(orgId: string, label: string): Promise<Application | undefined> {
    const r = await this.p.one('SELECT * FROM applications WHERE org_id = $1 AND label = $2', [orgId, label]);
    return r && toApplication(r);
  }

  async listApplications(orgId: string): Promise<Application[]> {
    return (await this.p.rows('SELECT * FROM applications WHERE org_id = $1 ORDER BY label', [orgId])).map(toApplication);
  }

  async updateApplication(orgId: string, appId: string, patch: { name?: string; label?: string } & Partial<ApplicationSettings>, audit?: AuditEntry): Promise<Application> {
    try {
      await this.p.tx(async (c) => {
        const before = (await c.query('SELECT * FROM applications WHERE id = $1 AND org_id = $2 FOR UPDATE', [appId, orgId])).rows[0] as Row | undefined;
        if (!before) throw new DsError('NOT_FOUND', 'no such application');
        if (patch.name !== undefined) await c.query('UPDATE applications SET name = $1 WHERE id = $2', [patch.name, appId]);
        if (patch.label !== undefined && patch.label !== before.label) {
          await c.query('UPDATE applications SET label = $1 WHERE id = $2', [patch.label, appId]);
          await bumpCors(c, orgId);
        }
        // New settings reach connectors with the origin list: move its version.
        const settings = { pin_entry: patch.pinEntry, consent: patch.consent, pin_reuse_minutes: patch.pinReuseMinutes };
        let changed = false;
        for (const [column, value] of Object.entries(settings)) {
          if (value === undefined || value === before[column]) continue;
          await c.query(`UPDATE applications SET ${column} = $1 WHERE id = $2`, [value, appId]);
          changed = true;
        }
        if (changed) await bumpCors(c, orgId);
        await this.p.writeAudit(c, audit);
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw new DsError('CONFLICT', `label ${patch.label} already exists in this organisation`);
      throw e;
    }
    return toApplication((await this.p.one('SELECT * FROM applications WHERE id = $1', [appId]))!);
  }

  async addOrigin(orgId: string, appId: string, origin: string, at: string, audit?: AuditEntry): Promise<boolean> {
    return this.p.tx(async (c) => {
      const r = await c.query('INSERT INTO origins (org_id, app_id, origin, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (org_id, origin) DO NOTHING', [
        orgId, appId, origin, at,
      ]);
      if (r.rowCount === 0) return false;
      await bumpCors(c, orgId);
      await this.p.writeAudit(c, audit);
      return true;
    });
  }

  async removeOrigin(orgId: string, appId: string, origin: string, audit?: AuditEntry): Promise<boolean> {
    return this.p.tx(async (c) => {
      const r = await c.query('DELETE FROM origins WHERE org_id = $1 AND app_id = $2 AND origin = $3', [orgId, appId, origin]);
      if (r.rowCount === 0) return false;
      await bumpCors(c, orgId);
      await this.p.writeAudit(c, audit);
      return true;
    });
  }

  async listOrigins(orgId?: string): Promise<OriginRow[]> {
    const sql = `SELECT o.org_id AS "orgId", o.origin AS origin, a.label AS label, o.created_at AS "createdAt",
                   a.pin_entry AS "pinEntry", a.consent AS consent, a.pin_reuse_minutes AS "pinReuseMinutes" FROM origins o
                 JOIN applications a ON a.id = o.app_id ${orgId ? 'WHERE o.org_id = $1' : ''} ORDER BY o.org_id, a.label, o.origin`;
    return this.p.rows<OriginRow>(sql, orgId ? [orgId] : []);
  }
}

function bumpCors(c: pg.PoolClient, orgId: string): Promise<unknown> {
  return c.query('UPDATE organisations SET cors_version = cors_version + 1 WHERE id = $1', [orgId]);
}
