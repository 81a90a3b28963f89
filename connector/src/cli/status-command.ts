import { Command, Option } from 'commander';
import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { request } from 'node:https';
import { X509Certificate } from 'node:crypto';
import { defaultDataDir } from '../config/defaults.js';
import { readRuntime } from '../runtime-file.js';
import { localTokenPath } from '../local-token.js';
import { CertStore } from '../tls/cert-store.js';
import { readDsStatus } from '../ds/ds-status.js';

/** Ask the running connector for `info`, as a local client with the data-dir token. */
function queryInfo(port: number, host: string, token: string, ca: string): Promise<Record<string, unknown>> {
  const body = JSON.stringify({ query: '{ info { version uptimeSeconds pcscAvailable managed deviceId } }' });
  return new Promise((resolvePromise, reject) => {
    const req = request(
      { host, port, path: '/graphql', method: 'POST', ca, servername: 'localhost',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, host: `localhost:${port}` }, timeout: 3000 },
      (res) => {
        let data = '';
        res.on('data', (c) => (data += c));
        res.on('end', () => {
          try {
            resolvePromise(JSON.parse(data).data?.info ?? {});
          } catch (e) {
            reject(e);
          }
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export function statusCommand(): Command {
  return new Command('status')
    .description('Show whether the connector runs, its certificate and its DS state')
    .addOption(new Option('--data-dir <dir>', 'connector data dir').default(defaultDataDir()))
    .addOption(new Option('--json', 'print JSON'))
    .action(async (o: { dataDir: string; json?: boolean }) => {
      const dataDir = resolve(o.dataDir);
      const out: Record<string, unknown> = { dataDir };
      const store = new CertStore(dataDir);
      const creds = store.load();
      if (creds) {
        const x = new X509Certificate(creds.cert);
        out.certificate = { serial: x.serialNumber, notAfter: new Date(x.validTo).toISOString(), issuer: x.issuer.replace(/\n/g, ', ') };
      }
      const ds = readDsStatus(dataDir);
      if (ds) out.ds = ds;
      const rt = readRuntime(dataDir);
      if (rt && creds && existsSync(localTokenPath(dataDir))) {
        try {
          const info = await queryInfo(rt.port, rt.host, readFileSync(localTokenPath(dataDir), 'utf8').trim(), creds.ca);
          out.running = { url: `https://localhost:${rt.port}`, pid: rt.pid, ...info };
        } catch (e) {
          out.running = false;
          out.runningError = (e as Error).message;
        }
      } else {
        out.running = false;
      }
      if (o.json) {
        process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
        return;
      }
      for (const [k, v] of Object.entries(out)) process.stdout.write(`${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}\n`);
    });
}
