import { defineConfig } from 'vitest/config';
import { resolve } from './vitest.shared.js';

// Tests through the real PC/SC stack (pcscd + vpcd virtual readers). The readers are shared
// by the whole machine, so these files run one at a time, in a group of their own.
export default defineConfig({
  resolve,
  test: {
    name: 'connector-pcsc',
    root: import.meta.dirname,
    include: ['test/pcsc/**/*.test.ts'],
    fileParallelism: false,
    sequence: { groupOrder: 2 },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
