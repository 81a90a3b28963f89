import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  applications, createDs, loadOrCreateCa, openSqliteRepository, organisations, tokens, type Ds, type DsConfig, type SqliteRepository,
} from '@cardlink/distribution-service';
import { createLoopbackCa, issueLoopbackLeaf } from '../../src/tls/x509.js';

export interface TestDs {
  ds: Ds;
  url: string;
  port: number;
  token: string;
  /** The CA of the DS's own HTTPS certificate (the connector's --ds.ca). */
  tlsCaFile: string;
  repo: SqliteRepository;
  dir: string;
  addOrigin(origin: string, label?: string): Promise<void>;
  removeOrigin(origin: string, label?: string): Promise<void>;
  /** While true, sync answers are computed and committed, then never sent (the client waits). */
  holdSyncResponses: boolean;
  /** A sync body field this DS refuses as an older DS would (400 INVALID_REQUEST); undefined: none. */
  refuseSyncField: string | undefined;
  /** Stop answering (the DS is down); `restart` brings it back on the same port and data. */
  stop(): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** A real DS (fastify + SQLite + its CA) over HTTPS on 127.0.0.1, with one org and app "shop". */
export async function startTestDs(config: Partial<DsConfig> = {}): Promise<TestDs> {
  const dir = mkdtempSync(join(tmpdir(), 'cardlink-ds-'));
  const repo = openSqliteRepository(join(dir, 'ds.sqlite'));
  const ca = loadOrCreateCa(dir);
  const tlsCa = createLoopbackCa('Test DS TLS CA', 2);
  const tlsLeaf = issueLoopbackLeaf(tlsCa, 2);
  const tlsCaFile = join(dir, 'ds-tls-ca.pem');
  writeFileSync(tlsCaFile, tlsCa.certPem);
  const make = () => {
    const d = createDs({ db: repo, ca, config: { ...config, tls: { cert: tlsLeaf.certPem, key: tlsLeaf.keyPem } } });
    // Before the route parses the raw body: a field an older DS's schema does not know.
    d.app.addHook('preValidation', async (req, reply) => {
      if (req.url !== '/v1/sync' || !t.refuseSyncField || !Buffer.isBuffer(req.body)) return;
      if (req.body.includes(`"${t.refuseSyncField}"`)) {
        await reply.code(400).send({ error: { code: 'INVALID_REQUEST', message: 'body must NOT have additional properties' } });
      }
    });
    // onSend runs after the route committed: holding here is "the DS answered, the answer never came".
    d.app.addHook('onSend', async (req, _reply, payload) => {
      if (t.holdSyncResponses && req.url === '/v1/sync') await new Promise(() => undefined);
      return payload;
    });
    return d;
  };
  let ds = make();
  const url = await ds.listen({ port: 0 });
  const port = Number(new URL(url).port);
  await organisations.createOrganisation(ds.services, 'acme');
  await applications.createApplication(ds.services, { org: 'acme', label: 'shop' });
  const { token } = await tokens.createInstallToken(ds.services, { org: 'acme' });
  let running = true;
  const t: TestDs = {
    holdSyncResponses: false,
    refuseSyncField: undefined,
    get ds() {
      return ds;
    },
    url,
    port,
    token,
    tlsCaFile,
    repo,
    dir,
    addOrigin: async (origin, label = 'shop') => void (await applications.addOrigin(ds.services, { org: 'acme', label, origin })),
    removeOrigin: async (origin, label = 'shop') => void (await applications.removeOrigin(ds.services, { org: 'acme', label, origin })),
    async stop() {
      if (!running) return;
      running = false;
      await ds.close();
    },
    async restart() {
      if (running) return;
      ds = make();
      await ds.listen({ port });
      running = true;
    },
    async close() {
      await t.stop();
      await repo.close();
    },
  };
  return t;
}
