// ESLint 9 flat config: typescript-eslint's recommended rules over every package's sources,
// tests, benches and build scripts. Syntax rules only (no type information): `tsc` already
// type-checks every package, and this keeps `pnpm lint` a few seconds.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/generated/**', 'coverage/**', 'artifacts/**', '.data/**'] },
  {
    files: ['**/*.{ts,mts,cts,mjs,js,cjs}'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: globals.node },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_name` marks a parameter kept for its position or a property dropped by a rest destructure.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    files: ['demo-site/src/**'],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['**/test/**', 'test/**', '**/bench/**'],
    rules: {
      // Tests read JSON replies of every shape (`r.json.data.beid…`); typing each one adds nothing the assertions don't check.
      '@typescript-eslint/no-explicit-any': 'off',
      // A skipped suite must say why and fail under CI=true: test/lib/require-service.ts does both.
      'no-restricted-properties': [
        'error',
        ...['describe', 'it', 'test'].flatMap((object) =>
          ['skip', 'skipIf', 'runIf', 'todo', 'only'].map((property) => ({
            object,
            property,
            message: 'use requireService (test/lib/require-service.ts): a suite whose service is missing fails under CI=true',
          })),
        ),
      ],
    },
  },
  { files: ['test/lib/require-service.ts'], rules: { 'no-restricted-properties': 'off' } },
);
