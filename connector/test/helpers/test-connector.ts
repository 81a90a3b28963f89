import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { startConnector, type RunningConnector } from '../../src/app.js';
import { createLogger } from '../../src/log/logger.js';
import type { StartOptions } from '../../src/config/options.js';
import type { OriginEntry } from '@cardlink/ds-protocol';
import { call, gql, type CallOptions, type Reply } from './https-client.js';

export const APP_ORIGIN = 'https://app.example.com';
export const APP_LABEL = 'demo-app';

export interface TestConnector {
  c: RunningConnector;
  port: number;
  ca: string;
  dataDir: string;
  /** Every log line the connector wrote, as text. */
  logs: () => string;
  call(o?: CallOptions): Promise<Reply>;
  /** POST a GraphQL document from the allowed origin. */
  query(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<Reply>;
  close(): Promise<void>;
}

export async function startTestConnector(
  opts: Partial<StartOptions> & { origins?: OriginEntry[] } = {},
): Promise<TestConnector> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'cardlink-connector-'));
  const originsFile = join(dataDir, 'origins.json');
  writeFileSync(originsFile, JSON.stringify(opts.origins ?? [{ origin: APP_ORIGIN, label: APP_LABEL }]));
  let logText = '';
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logText += chunk.toString();
      cb();
    },
  });
  const { origins: _o, ...rest } = opts;
  const options: StartOptions = {
    port: 0,
    host: '127.0.0.1',
    dataDir,
    originsFile,
    dsUrl: undefined,
    dsToken: undefined,
    dsCaFile: undefined,
    dsCycleSeconds: 28_800,
    dsCycleExplicit: false,
    dsInitialDelayMaxSeconds: 0,
    logLevel: 'info',
    rateLimit: 1000,
    maxBodyBytes: 256 * 1024,
    virtualCard: undefined,
    ...rest,
  };
  const c = await startConnector(options, createLogger(options.logLevel, sink));
  const ca = c.certs.load()!.ca;
  const port = c.port;
  return {
    c,
    port,
    ca,
    dataDir,
    logs: () => logText,
    call: (o) => call(port, ca, o),
    query: (q, v, headers = {}) =>
      call(port, ca, { body: gql(q, v), headers: { origin: APP_ORIGIN, 'content-type': 'application/json', ...headers } }),
    close: () => c.close(),
  };
}
