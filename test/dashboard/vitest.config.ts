import { defineConfig } from 'vitest/config';
// The suite starts connectors in-process: use the connector's graphql alias.
import { resolve } from '../../connector/vitest.shared.js';

// The DS dashboard in a real Chromium (playwright-core), against an in-process DS and real
// in-process connectors. One file at a time, in a group of its own.
export default defineConfig({
  resolve,
  test: {
    name: 'dashboard',
    root: import.meta.dirname,
    include: ['**/*.test.ts'],
    fileParallelism: false,
    sequence: { groupOrder: 4 },
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
