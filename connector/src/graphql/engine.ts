import { envelop, useEngine, useSchema } from '@envelop/core';
import { useParserCache } from '@envelop/parser-cache';
import { useValidationCache } from '@envelop/validation-cache';
import { buildSchema as buildSdlSchema, type DocumentNode, type GraphQLError, execute, isObjectType, parse, specifiedRules, subscribe, validate, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { typeDefs } from './generated/type-defs.js';
import { createResolvers } from './resolvers/index.js';
import { useQueryLimits, type QueryLimits, DEFAULT_QUERY_LIMITS } from './plugins/use-query-limits.js';
import { createErrorMask, useErrorCodes } from './plugins/use-error-codes.js';
import { CompiledOperations } from './compiled-operations.js';
import { byteBudgetCache, documentBytes, errorsBytes, DEFAULT_CACHE_BUDGETS, type CacheBudgets } from './cache-budget.js';
import type { Resolvers } from './generated/resolvers.js';

type FieldResolver = GraphQLFieldResolver<unknown, unknown> | { subscribe: GraphQLFieldResolver<unknown, unknown>; resolve?: GraphQLFieldResolver<unknown, unknown> };

/**
 * The executable schema: the SDL plus the resolvers attached to their fields. Every resolver
 * must name a real field, so a typo fails at start-up rather than silently never running.
 */
export function buildSchema(resolvers: Resolvers = createResolvers()): GraphQLSchema {
  const schema = buildSdlSchema(typeDefs);
  for (const [typeName, fields] of Object.entries(resolvers as Record<string, Record<string, FieldResolver>>)) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) throw new Error(`resolvers given for ${typeName}, which is not an object type`);
    const defs = type.getFields();
    for (const [fieldName, r] of Object.entries(fields)) {
      const field = defs[fieldName];
      if (!field) throw new Error(`resolver for unknown field ${typeName}.${fieldName}`);
      if (typeof r === 'function') field.resolve = r;
      else {
        field.subscribe = r.subscribe;
        field.resolve = r.resolve ?? ((payload) => (payload as Record<string, unknown>)[fieldName]);
      }
    }
  }
  return schema;
}

export interface EngineOptions {
  limits?: QueryLimits;
  onUnexpectedError: (e: unknown) => void;
  schema?: GraphQLSchema;
  cacheBudgets?: CacheBudgets;
}

/**
 * The GraphQL pipeline as envelop plugins, one concern each: engine, schema, limits, parse
 * and validation caches (bounded in bytes), error codes. It admits each new document once; queries and
 * mutations then run compiled (graphql-jit) from `operations`, with the same error mask.
 * Subscriptions run through the pipeline.
 */
export function createEngine(opts: EngineOptions) {
  const schema = opts.schema ?? buildSchema();
  const mask = createErrorMask(opts.onUnexpectedError);
  const budgets = opts.cacheBudgets ?? DEFAULT_CACHE_BUDGETS;
  const caches = {
    documents: byteBudgetCache<DocumentNode>(budgets.parse, documentBytes),
    parseErrors: byteBudgetCache<Error>(budgets.parse / 8, (e) => errorsBytes([e as GraphQLError])),
    validation: byteBudgetCache<readonly GraphQLError[]>(budgets.validation, errorsBytes),
  };
  const pipeline = envelop({
    plugins: [
      useEngine({ parse, validate, execute, subscribe, specifiedRules }),
      useSchema(schema),
      useQueryLimits(opts.limits ?? DEFAULT_QUERY_LIMITS),
      useParserCache({ documentCache: caches.documents, errorCache: caches.parseErrors }),
      useValidationCache({ cache: caches.validation }),
      useErrorCodes(mask),
    ],
  });
  return { pipeline, operations: new CompiledOperations(schema, budgets.compiled), mask, caches };
}

export type Engine = ReturnType<typeof createEngine>;
