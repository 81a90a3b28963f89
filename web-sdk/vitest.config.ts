import { defineConfig } from 'vitest/config';
// The integration tests start a real connector in-process: use the connector's graphql alias
// so its code and its dependencies share one graphql instance.
import { resolve } from '../connector/vitest.shared.js';

export default defineConfig({
  resolve,
  test: {
    name: 'web-sdk',
    root: import.meta.dirname,
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
