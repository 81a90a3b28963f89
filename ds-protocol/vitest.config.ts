import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'ds-protocol',
    include: ['test/**/*.test.ts'],
  },
});
