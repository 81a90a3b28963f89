import { defineConfig } from 'vitest/config';

// One project for the whole package. The root config collects only `*/vitest.config.ts`
// and vitest 4 does not resolve `test.projects` nested inside a project config, so the
// PC/SC tests cannot be a project of their own here. Instead:
// - they all live in one file (test/pcsc.test.ts): never two of them at once;
// - this project runs in its own group (sequence.groupOrder 1), so it never overlaps
//   the connector's hardware group (2). The unit files of this project touch no
//   hardware and may run beside the PC/SC file.
export default defineConfig({
  test: {
    name: 'virtual-card',
    root: import.meta.dirname,
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 330_000,
    sequence: { groupOrder: 1 },
  },
});
