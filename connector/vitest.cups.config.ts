import { defineConfig } from 'vitest/config';
import { resolve } from './vitest.shared.js';

// Tests through the real CUPS with the cups-pdf printer (`bash scripts/services.sh cupsd`,
// run by the global setup). The printer and its output folder are shared by the whole
// machine, so these files run one at a time, in a group of their own.
export default defineConfig({
  resolve,
  test: {
    name: 'connector-cups',
    root: import.meta.dirname,
    include: ['test/cups/**/*.test.ts'],
    globalSetup: ['test/cups/global-setup.ts'],
    fileParallelism: false,
    sequence: { groupOrder: 3 },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
