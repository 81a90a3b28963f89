import type { Plugin } from '@envelop/core';
import { getDocumentString, makeExecute } from '@envelop/core';
import { getOperationAST, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { CompiledOperations } from '../compiled-operations.js';

/**
 * Queries and mutations run compiled by graphql-jit, as an envelop execute hook: every
 * execution goes through the plugin list, and only the execute step is swapped. Compiled
 * once per document text and operation name (@envelop/graphql-jit keys by the text alone, so
 * a document with two operations would run the first one compiled for both); the cache is
 * bounded in bytes (CompiledOperations). Subscriptions keep graphql-js's subscribe.
 */
export function useCompiledExecution(operations: CompiledOperations): Plugin {
  const compiledExecute = makeExecute((args: ExecutionArgs) => {
    const text = getDocumentString(args.document);
    const name = args.operationName ?? undefined;
    let op = text === undefined ? undefined : operations.get(text, name);
    if (!op) {
      const ast = getOperationAST(args.document, name);
      if (ast && ast.operation !== 'subscription' && text !== undefined) {
        op = operations.add(text, name, args.document, ast.operation, ast.name?.value);
      }
    }
    if (!op) return fallback(args);
    return op.run(args.contextValue, args.variableValues ?? undefined) as ExecutionResult | Promise<ExecutionResult>;
  });
  let fallback: (args: ExecutionArgs) => ReturnType<typeof compiledExecute>;
  return {
    onExecute({ executeFn, setExecuteFn }) {
      fallback = executeFn as typeof fallback;
      setExecuteFn(compiledExecute);
    },
  };
}
