import { defineConfig } from 'vitest/config';

/**
 * The DS suites that run through the test harness, again on PostgreSQL (each DS in its own
 * schema of the cluster `scripts/services.sh postgres` starts). One suite, two backends: the
 * files are the distribution-service project's; only DS_TEST_BACKEND differs.
 */
export default defineConfig({
  test: {
    name: 'distribution-service-postgres',
    include: [
      'test/dashboard.test.ts',
      'test/dashboard-security.test.ts',
      'test/faults.test.ts',
      'test/register.test.ts',
      'test/releases.test.ts',
      'test/renewal-limits.test.ts',
      'test/replay-and-limits.test.ts',
      'test/sync-auth.test.ts',
      'test/sync.test.ts',
    ],
    env: { DS_TEST_BACKEND: 'postgres' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
