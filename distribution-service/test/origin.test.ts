import { describe, expect, it } from 'vitest';
import { normaliseOrigin } from '../src/domain/origin.js';

describe('origin entries', () => {
  it.each([
    ['https://App.Example.com', 'https://app.example.com'],
    ['https://app.example.com:443', 'https://app.example.com'],
    ['https://app.example.com:8443', 'https://app.example.com:8443'],
    ['https://*.example.com', 'https://*.example.com'],
    ['https://*.Example.com:8443', 'https://*.example.com:8443'],
    ['http://localhost:3000', 'http://localhost:3000'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['https://bücher.example', 'https://xn--bcher-kva.example'],
  ])('accepts %s as %s', (input, expected) => {
    const r = normaliseOrigin(input);
    expect(r.ok && r.value).toBe(expected);
  });

  it.each([
    'http://app.example.com',
    'https://app.example.com/',
    'https://app.example.com/path',
    'https://app.example.com?q=1',
    'https://user@app.example.com',
    'https://*.com',
    'http://*.localhost',
    'ftp://app.example.com',
    'app.example.com',
    'https://*.10.0.0.1',
    '',
  ])('refuses %s', (input) => {
    const r = normaliseOrigin(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('INVALID_ORIGIN');
  });
});
