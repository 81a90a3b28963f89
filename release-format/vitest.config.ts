import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'release-format',
    root: import.meta.dirname,
    include: ['test/**/*.test.ts'],
  },
});
