import { describe, expect, it } from 'vitest';
import { normaliseOrigin } from '../src/domain/origin.js';

// The rules themselves are the protocol's (ds-protocol/test): here only what the DS makes of them.
describe('origin entries typed by an admin', () => {
  it('normalises with the protocol rules', () => {
    const r = normaliseOrigin(' https://*.Example.com:443 ');
    expect(r.ok && r.value).toBe('https://*.example.com');
  });

  it.each(['http://app.example.com', 'https://*.com', 'https://a.example.com/x', ''])('refuses %j with INVALID_ORIGIN and the reason', (input) => {
    const r = normaliseOrigin(input);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('INVALID_ORIGIN');
      expect(r.error.message.length).toBeGreaterThan(5);
    }
  });
});
