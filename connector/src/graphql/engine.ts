import type { Plugin } from '@envelop/core';
import { buildSchema as buildSdlSchema, type DocumentNode, type GraphQLEnumType, type GraphQLError, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { typeDefs } from './generated/type-defs.js';
import { createResolvers } from './resolvers/index.js';
import { useQueryLimits, type QueryLimits, DEFAULT_QUERY_LIMITS } from './plugins/use-query-limits.js';
import { createErrorMask, useValidationErrorCodes } from './plugins/use-error-codes.js';
import { useCompiledExecution } from './plugins/use-compiled-execution.js';
import { useValidationCache } from './plugins/use-validation-cache.js';
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
 * The GraphQL part of the request path, for yoga: the schema, the envelop plugins (depth,
 * alias and token limits; error codes of validation errors; validation results per document;
 * compiled execution), the error mask yoga applies to every error, and the parse caches, each
 * bounded in bytes.
 */
export function createEngine(opts: EngineOptions) {
  const schema = opts.schema ?? buildSchema();
  const codes = new Set((schema.getType('ErrorCode') as GraphQLEnumType).getValues().map((v) => v.name));
  const mask = createErrorMask(opts.onUnexpectedError, codes);
  const budgets = opts.cacheBudgets ?? DEFAULT_CACHE_BUDGETS;
  const caches = {
    documents: byteBudgetCache<DocumentNode>(budgets.parse, documentBytes),
    parseErrors: byteBudgetCache<Error>(budgets.parse / 8, (e) => errorsBytes([e as GraphQLError])),
  };
  const operations = new CompiledOperations(schema, budgets.compiled);
  const plugins: Plugin[] = [
    useQueryLimits(opts.limits ?? DEFAULT_QUERY_LIMITS),
    useValidationErrorCodes(mask),
    useValidationCache(),
    useCompiledExecution(operations),
  ];
  return { schema, plugins, operations, mask, caches };
}

export type Engine = ReturnType<typeof createEngine>;
