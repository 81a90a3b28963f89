import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { createLogger } from '../src/log/logger.js';
import { startTestConnector, APP_ORIGIN } from './helpers/test-connector.js';

describe('logging', () => {
  it('redacts PINs, payloads and identity fields wherever they appear', () => {
    let out = '';
    const log = createLogger('info', new Writable({ write: (c, _e, cb) => ((out += c.toString()), cb()) }));
    log.info({ pin: '1234', input: { pin: '5678', oldPin: '1111', newPin: '2222' }, identity: { surname: 'Specimen' }, nationalNumber: '85050512345', variables: { x: 1 } });
    for (const secret of ['1234', '5678', '1111', '2222', 'Specimen', '85050512345']) expect(out).not.toContain(secret);
    expect(out).toContain('[redacted]');
  });

  it('writes one line per request with label, operation, status and duration, never the payload', async () => {
    const t = await startTestConnector();
    try {
      await t.query('query Probe($x: ID!) { reader(id: $x) { id } }', { x: '4321-secret' }, { 't1c-tag': 'tag-1' });
      await t.query('mutation Pin { verifyPin(input: { readerId: "nope", pin: "98765432" }) { verified } }');
      const lines = t.logs().trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatchObject({ label: 'demo-app', op: 'Probe', status: 200 });
      expect(typeof lines[0].ms).toBe('number');
      expect(lines[1]).toMatchObject({ op: 'Pin' });
      expect(t.logs()).not.toContain('4321-secret');
      expect(t.logs()).not.toContain('98765432');
    } finally {
      await t.close();
    }
  });

  it('names every request of a repeated document: the cached, compiled runs still go through the envelop execute hooks', async () => {
    const t = await startTestConnector();
    try {
      // The operation name comes from the document, read by the request log's onExecute hook:
      // a compiled run that went around envelop would leave the later lines unnamed.
      for (let i = 0; i < 3; i++) await t.query('query Again { info { version } }');
      const lines = t.logs().trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');
      expect(lines.map((l) => [l.op, l.status])).toEqual([['Again', 200], ['Again', 200], ['Again', 200]]);
    } finally {
      await t.close();
    }
  });

  it('logs a page\'s operation name only when it is a short, well-formed Name; a 1 MB one leaves a short line', async () => {
    const t = await startTestConnector({ maxBodyBytes: 4 * 1024 * 1024 });
    try {
      const huge = 'A'.repeat(1024 * 1024);
      const cases = [
        { operationName: huge, query: '{ info { version } }' }, // 400: no such operation
        { operationName: `${'B'.repeat(64)}x`, query: '{ info { version } }' },
        { operationName: 'Bad\nName', query: '{ info { version } }' },
        { query: `query ${'C'.repeat(100_000)} { info { version } }` }, // 200, named in the document
        { operationName: 'Short', query: '{ info { version } }' }, // 400, well-formed: logged
      ];
      const statuses: number[] = [];
      for (const c of cases) {
        const r = await t.call({ body: JSON.stringify(c), headers: { origin: APP_ORIGIN, 'content-type': 'application/json' } });
        statuses.push(r.status);
      }
      expect(statuses).toEqual([400, 400, 400, 200, 400]);
      const lines = t.logs().trim().split('\n');
      for (const l of lines) expect(l.length).toBeLessThan(1024);
      const requests = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');
      expect(requests.map((l) => l.op)).toEqual([undefined, undefined, undefined, undefined, 'Short']);
    } finally {
      await t.close();
    }
  });
});
