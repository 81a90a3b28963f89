import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { DocumentNode, ExecutionResult, GraphQLSchema } from 'graphql';
import type { LRUCache } from 'lru-cache';
import { setFlagsFromString } from 'node:v8';
import { byteBudgetCache, documentBytes, DEFAULT_CACHE_BUDGETS } from './cache-budget.js';

// graphql-jit compiles each document with `new Function`, literals inlined. V8's compilation
// cache keeps every such source alive across garbage collections (measured: 2,000 functions of
// 100 KB held 400 MB after ten full GCs; with the cache off, 3 MB). Our own cache below decides
// what stays, so V8's is turned off for the process (set before anything is compiled here).
setFlagsFromString('--no-compilation-cache');

/** A query or mutation compiled once and run directly. */
export interface CompiledOperation {
  readonly kind: 'query' | 'mutation';
  readonly name: string | undefined;
  run(context: unknown, variables: Record<string, unknown> | undefined): Promise<ExecutionResult> | ExecutionResult;
  stringify(result: ExecutionResult): string;
}

interface Entry {
  op: CompiledOperation;
  bytes: number;
}

/** V8 keeps the generated source, its bytecode and closures: ~3.5x the source (measured). */
const CODE_FACTOR = 4;

/**
 * Queries and mutations compiled with graphql-jit once per document text, then run directly.
 * Pages send the same few documents, so a known one skips parsing, validation and the plugin
 * pipeline; a new one is admitted once by the envelop pipeline (limits, validation) before it
 * is compiled here. Bounded in bytes (the text, the document and the generated code), so a
 * page sending endless new or huge documents cannot grow memory; one too large to keep still runs.
 */
export class CompiledOperations {
  private readonly byText: LRUCache<string, Entry>;

  constructor(
    private readonly schema: GraphQLSchema,
    maxBytes = DEFAULT_CACHE_BUDGETS.compiled,
  ) {
    this.byText = byteBudgetCache<Entry>(maxBytes, (e) => e.bytes);
  }

  get(query: string, operationName: string | undefined): CompiledOperation | undefined {
    return this.byText.get(keyOf(query, operationName))?.op;
  }

  /** Compile a validated document's operation; undefined when graphql-jit cannot (the caller falls back). */
  add(query: string, operationName: string | undefined, document: DocumentNode, kind: 'query' | 'mutation', name: string | undefined): CompiledOperation | undefined {
    // `debug` keeps the generated source on the result: its length is what the estimate needs.
    const compiled = compileQuery(this.schema, document, operationName, { debug: true } as Parameters<typeof compileQuery>[3]);
    if (!isCompiledQuery(compiled)) return undefined;
    const code = (compiled as { __DO_NOT_USE_THIS_OR_YOU_WILL_BE_FIRED_compilation?: string }).__DO_NOT_USE_THIS_OR_YOU_WILL_BE_FIRED_compilation ?? '';
    const op = toOperation(compiled, kind, name);
    this.byText.set(keyOf(query, operationName), { op, bytes: documentBytes(document) + CODE_FACTOR * code.length });
    return op;
  }

  get size(): number {
    return this.byText.size;
  }

  /** Estimated bytes held. */
  get bytes(): number {
    return this.byText.calculatedSize;
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
