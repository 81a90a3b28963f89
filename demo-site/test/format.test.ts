import { describe, expect, it } from 'vitest';
import { formatBytes } from '../src/errors.js';

describe('formatBytes (sizes on the Files and Print pages)', () => {
  it.each([
    [0, '0 bytes'],
    [1, '1 byte'],
    [1023, '1023 bytes'],
    [1024, '1 KB'],
    [1536, '1.5 KB'],
    [200_591, '196 KB'],
    [8 * 1024 * 1024, '8 MB'],
    [1_500_256, '1.4 MB'],
    [50 * 1024 ** 2, '50 MB'],
    [3 * 1024 ** 3, '3 GB'],
  ])('%d → %s', (n, text) => {
    expect(formatBytes(n)).toBe(text);
  });
});
