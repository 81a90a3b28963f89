import { defineConfig } from 'vitest/config';
// The suite starts connectors in-process: use the connector's graphql alias.
import { resolve } from '../../connector/vitest.shared.js';

// Real-browser end-to-end tests (Chromium through playwright-core). One file at a time, in a
// group of their own: one test uses the vpcd readers shared by the whole machine.
export default defineConfig({
  resolve,
  test: {
    name: 'e2e',
    root: import.meta.dirname,
    include: ['**/*.test.ts'],
    fileParallelism: false,
    sequence: { groupOrder: 5 },
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
