// Import rules, checked by `pnpm lint` (depcruise). Paths are relative to the repository root.
const PACKAGES = '(connector|distribution-service|web-sdk|virtual-card|release-format|ds-protocol|demo-site|schema)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycle at run time. Cycles made only of `import type` vanish when compiled (the generated resolver types import the GraphQL context, whose services import the error codes): not counted.',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'card-not-graphql',
      comment: 'The card layer has its own types and codes; graphql/mappers.ts translates. Type-only imports count too.',
      severity: 'error',
      from: { path: '^connector/src/card/' },
      to: { path: '^connector/src/graphql/' },
    },
    {
      name: 'connector-lower-not-upper',
      comment:
        'Card, storage, files, printing, TLS, origins, config, sync and update never import the HTTP server, the GraphQL layer, the CLI or app.ts. ' +
        'Types generated from the schema are the API contract and may be used (except by card/, rule above). ' +
        'files/file-transfers.ts is the one-time-URL GET handler, an HTTP piece that still lives in files/.',
      severity: 'error',
      from: {
        path: '^connector/src/(card|store|fs|log|files|printing|tls|origins|config|ds|update|release|transactions)/',
        pathNot: '^connector/src/files/file-transfers\\.ts$',
      },
      to: { path: '^connector/src/(http/|graphql/|cli/|app\\.ts$)', pathNot: '^connector/src/graphql/generated/' },
    },
    {
      name: 'ds-store-not-upper',
      comment: 'The DS store is the bottom layer: it never imports services, HTTP, the dashboard or the CLI.',
      severity: 'error',
      from: { path: '^distribution-service/src/(store|domain)/' },
      to: { path: '^distribution-service/src/(services|http|dashboard|cli|auth|ca)/' },
    },
    {
      name: 'ds-services-not-upper',
      comment: 'DS services, auth and the CA are used by HTTP routes, the dashboard and the CLI, never the reverse.',
      severity: 'error',
      from: { path: '^distribution-service/src/(services|auth|ca|log)/' },
      to: { path: '^distribution-service/src/(http|dashboard|cli)/' },
    },
    {
      name: 'dashboard-routes-only-from-plugin',
      comment: 'Route modules are registered by dashboard/plugin.ts only; what routes share lives in route-context.ts or layout.ts.',
      severity: 'error',
      from: { pathNot: '^distribution-service/src/dashboard/plugin\\.ts$' },
      to: { path: '^distribution-service/src/dashboard/routes/' },
    },
    {
      name: 'no-relative-import-of-another-package-src',
      comment:
        "A package's code reaches another package through its name (@cardlink/...), never by a relative path into its src/. " +
        'Cross-package tests (test/, web-sdk/test) may still reach into the connector white-box.',
      severity: 'error',
      from: { path: `^${PACKAGES}/src/` },
      to: { path: `^${PACKAGES}/src/`, pathNot: '^$1/', dependencyTypes: ['local'] },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that resolves to nothing is a typo or a missing dependency.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, pathNot: '^@graphql-typed-document-node/core$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|coverage|artifacts)/' },
    // `import type` is an import too (cycles of only type imports are filtered in no-circular).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    // Workspace packages resolve through their package.json "exports" to their sources.
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['development', 'import', 'types', 'default'] },
  },
};
