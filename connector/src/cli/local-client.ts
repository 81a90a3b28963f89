import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { readRuntime } from '../runtime-file.js';
import { localTokenPath } from '../local-token.js';
import { CertStore } from '../tls/cert-store.js';

export class LocalClientError extends Error {
  constructor(
    readonly code: 'NOT_RUNNING' | 'NO_TOKEN' | 'UNREACHABLE' | 'BAD_ANSWER',
    message: string,
  ) {
    super(message);
  }
}

export interface GraphqlAnswer<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/**
 * One GraphQL request to the connector running on this data dir, as a local client: its
 * address from runtime.json, `Authorization: Bearer` with the data dir's token, TLS checked
 * against the connector's CA.
 */
export function localGraphql<T>(dataDir: string, query: string, timeoutMs: number): Promise<GraphqlAnswer<T>> {
  const rt = readRuntime(dataDir);
  if (!rt) throw new LocalClientError('NOT_RUNNING', `no connector is running on ${dataDir} (no runtime.json)`);
  if (!existsSync(localTokenPath(dataDir))) throw new LocalClientError('NO_TOKEN', `no local client token in ${dataDir}`);
  const token = readFileSync(localTokenPath(dataDir), 'utf8').trim();
  const creds = new CertStore(dataDir).load();
  if (!creds) throw new LocalClientError('NOT_RUNNING', `no certificate in ${dataDir}`);
  const body = JSON.stringify({ query });
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: rt.host,
        port: rt.port,
        path: '/graphql',
        method: 'POST',
        ca: creds.ca,
        servername: 'localhost',
        timeout: timeoutMs,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, host: `localhost:${rt.port}` },
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (data += c));
        res.on('end', () => {
          try {
            resolve(JSON.parse(data) as GraphqlAnswer<T>);
          } catch {
            reject(new LocalClientError('BAD_ANSWER', `the connector answered ${res.statusCode} with no GraphQL body`));
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new LocalClientError('UNREACHABLE', `no answer within ${timeoutMs / 1000} s`)));
    req.on('error', (e) =>
      reject(e instanceof LocalClientError ? e : new LocalClientError('UNREACHABLE', `cannot reach the connector on port ${rt.port}: ${e.message}`)),
    );
    req.end(body);
  });
}
