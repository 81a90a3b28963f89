import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

// One graphql instance: Node resolves `graphql` to its CommonJS entry for packages loaded
// natively (graphql-tools); make code transformed by vitest use that same file.
export const resolve = { alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }] };
