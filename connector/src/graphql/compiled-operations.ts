import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { DocumentNode, ExecutionResult, GraphQLSchema } from 'graphql';

/** A query or mutation compiled once and run directly. */
export interface CompiledOperation {
  readonly kind: 'query' | 'mutation';
  readonly name: string | undefined;
  run(context: unknown, variables: Record<string, unknown> | undefined): Promise<ExecutionResult> | ExecutionResult;
  stringify(result: ExecutionResult): string;
}

/**
 * Queries and mutations compiled with graphql-jit once per document text, then run directly.
 * Pages send the same few documents, so a known one skips parsing, validation and the plugin
 * pipeline; a new one is admitted once by the envelop pipeline (limits, validation) before it
 * is compiled here. Bounded: past `max` documents the oldest goes first, so a page sending
 * endless new documents cannot grow memory.
 */
export class CompiledOperations {
  private readonly byText = new Map<string, CompiledOperation>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly max = 200,
  ) {}

  get(query: string, operationName: string | undefined): CompiledOperation | undefined {
    return this.byText.get(keyOf(query, operationName));
  }

  /** Compile a validated document's operation; undefined when graphql-jit cannot (the caller falls back). */
  add(query: string, operationName: string | undefined, document: DocumentNode, kind: 'query' | 'mutation', name: string | undefined): CompiledOperation | undefined {
    const compiled = compileQuery(this.schema, document, operationName);
    if (!isCompiledQuery(compiled)) return undefined;
    const op = toOperation(compiled, kind, name);
    if (this.byText.size >= this.max) this.byText.delete(this.byText.keys().next().value as string);
    this.byText.set(keyOf(query, operationName), op);
    return op;
  }

  get size(): number {
    return this.byText.size;
  }
}

const keyOf = (query: string, operationName: string | undefined) => (operationName ? `${operationName}\u0000${query}` : query);

function toOperation(compiled: CompiledQuery, kind: 'query' | 'mutation', name: string | undefined): CompiledOperation {
  return {
    kind,
    name,
    run: (context, variables) => compiled.query(undefined, context, variables ?? {}),
    stringify: (result) => compiled.stringify(result),
  };
}
