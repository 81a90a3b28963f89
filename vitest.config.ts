import { defineConfig } from 'vitest/config';

// Each package owns a vitest.config.ts; projects that touch shared hardware (the vpcd
// readers, CUPS) declare a distinct `sequence.groupOrder` so they never run at once.
export default defineConfig({
  test: {
    projects: ['*/vitest.config.ts', '*/vitest.*.config.ts', 'test/*/vitest.config.ts'],
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
