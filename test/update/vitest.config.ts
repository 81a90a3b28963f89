import { defineConfig } from 'vitest/config';
import { resolve } from '../../connector/vitest.shared.js';

// Signed updates end to end: a real DS, a supervised connector (built bundles of several
// versions), handovers under load and rollbacks. One file at a time, in a group of its own.
export default defineConfig({
  resolve,
  test: {
    name: 'update',
    root: import.meta.dirname,
    include: ['**/*.test.ts'],
    fileParallelism: false,
    sequence: { groupOrder: 6 },
    testTimeout: 180_000,
    hookTimeout: 300_000,
  },
});
