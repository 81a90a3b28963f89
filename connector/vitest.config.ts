import { defineConfig } from 'vitest/config';
import { resolve } from './vitest.shared.js';

export default defineConfig({
  resolve,
  test: {
    name: 'connector',
    root: import.meta.dirname,
    include: ['test/**/*.test.ts'],
    exclude: ['test/pcsc/**', 'test/cups/**', '**/node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
