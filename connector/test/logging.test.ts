import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { createLogger } from '../src/log/logger.js';
import { startTestConnector } from './helpers/test-connector.js';

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
});
