import type { CodegenConfig } from '@graphql-codegen/cli';
import { readFileSync } from 'node:fs';

const banner = '/* eslint-disable */\n// Generated from schema/schema.graphql by `pnpm codegen`. Do not edit.';
const sdl = readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8');

// One schema, two consumers: resolver signatures for the connector, typed documents for the SDK.
const scalars = {
  DateTime: 'string',
  Date: 'string',
  Upload: 'File',
};

const config: CodegenConfig = {
  schema: './schema.graphql',
  overwrite: true,
  generates: {
    // The SDL as a module, so the bundled connector carries its schema without reading files.
    '../connector/src/graphql/generated/type-defs.ts': {
      plugins: [{ add: { content: `${banner}\nexport const typeDefs = ${JSON.stringify(sdl)};` } }],
    },
    '../connector/src/graphql/generated/resolvers.ts': {
      plugins: [{ add: { content: banner } }, 'typescript', 'typescript-resolvers'],
      config: {
        useTypeImports: true,
        contextType: '../context.js#RequestContext',
        mappers: {
          Beid: '../mappers.js#BeidParent',
          Reader: '../mappers.js#ReaderParent',
          BeidCertificates: '../mappers.js#BeidParent',
          Integrity: '../mappers.js#BeidParent',
          Token: '../mappers.js#TokenParent',
          TokenCertificate: '../mappers.js#TokenCertificateParent',
          Pkcs11Library: '../mappers.js#Pkcs11LibraryParent',
        },
        // Upload values are the connector's own multipart parts (streamed, never buffered).
        scalars: { ...scalars, Upload: '../../http/multipart.js#FileUpload' },
        enumsAsTypes: true,
        avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
        maybeValue: 'T | null',
        resolverTypeWrapperSignature: 'T | Promise<T>',
      },
    },
    // SDK: operation result/variable types and compact typed document strings (no AST JSON,
    // urql parses the strings), so the browser bundle stays small.
    '../web-sdk/src/generated/graphql.ts': {
      documents: ['../web-sdk/src/operations/*.graphql'],
      plugins: [{ add: { content: banner } }, 'typescript-operations', 'typed-document-node'],
      config: {
        useTypeImports: true,
        scalars: { ...scalars, Upload: 'Blob' },
        enumsAsTypes: true,
        avoidOptionals: true,
        maybeValue: 'T | null',
        onlyOperationTypes: true,
        documentMode: 'string',
        // Fragment documents no call uses are dropped from bundles.
        pureMagicComment: true,
      },
    },
    // SDK: the schema's enums as string-literal types (ErrorCode is used by no operation but
    // types the SDK's ConnectorError.code). Types only, nothing at run time.
    '../web-sdk/src/generated/enums.ts': {
      plugins: [{ add: { content: banner } }, 'typescript'],
      config: { onlyEnums: true, enumsAsTypes: true },
    },
  },
};

export default config;
