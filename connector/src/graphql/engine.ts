import { envelop, useEngine, useSchema } from '@envelop/core';
import { useParserCache } from '@envelop/parser-cache';
import { useValidationCache } from '@envelop/validation-cache';
import { useGraphQlJit } from '@envelop/graphql-jit';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { execute, parse, specifiedRules, subscribe, validate, type GraphQLSchema } from 'graphql';
import { typeDefs } from './generated/type-defs.js';
import { createResolvers } from './resolvers/index.js';
import { useQueryLimits, type QueryLimits, DEFAULT_QUERY_LIMITS } from './plugins/use-query-limits.js';
import { useErrorCodes } from './plugins/use-error-codes.js';
import type { Resolvers } from './generated/resolvers.js';

export function buildSchema(resolvers: Resolvers = createResolvers()): GraphQLSchema {
  return makeExecutableSchema({ typeDefs, resolvers: resolvers as never });
}

export interface EngineOptions {
  limits?: QueryLimits;
  onUnexpectedError: (e: unknown) => void;
  schema?: GraphQLSchema;
}

/**
 * The GraphQL pipeline as envelop plugins, one concern each: engine, schema, limits,
 * parse and validation caches (documents repeat: pages send the same few queries),
 * graphql-jit compiled execution, error codes.
 */
export function createEngine(opts: EngineOptions) {
  return envelop({
    plugins: [
      useEngine({ parse, validate, execute, subscribe, specifiedRules }),
      useSchema(opts.schema ?? buildSchema()),
      useQueryLimits(opts.limits ?? DEFAULT_QUERY_LIMITS),
      useParserCache(),
      useValidationCache(),
      useGraphQlJit({ disableLeafSerialization: false }, { enableIf: (args) => !isSubscription(args.document) }),
      useErrorCodes(opts.onUnexpectedError),
    ],
  });
}

export type Engine = ReturnType<typeof createEngine>;

function isSubscription(doc: import('graphql').DocumentNode): boolean {
  return doc.definitions.some((d) => d.kind === 'OperationDefinition' && d.operation === 'subscription');
}
