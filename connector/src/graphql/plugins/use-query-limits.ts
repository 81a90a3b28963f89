import type { Plugin } from '@envelop/core';
import { GraphQLError, parse, type ParseOptions, type ValidationContext } from 'graphql';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxDepth: 8, maxAliases: 15, maxTokens: 1000 };

const tooComplex = (message: string) => new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COMPLEX' } });

/**
 * Depth, alias and token limits. Tokens are capped while parsing (graphql-js stops the
 * lexer); depth and aliases are graphql-armor validation rules whose rejections are reported
 * as QUERY_TOO_COMPLEX so clients can tell "too big" from "wrong".
 */
export function useQueryLimits(limits: QueryLimits = DEFAULT_QUERY_LIMITS): Plugin {
  const onReject = [(ctx: ValidationContext | null, err: GraphQLError) => ctx?.reportError(tooComplex(err.message.replace(/^Syntax Error: /, '')))];
  const common = { onReject, propagateOnRejection: false, exposeLimits: true };
  const rules = [
    maxDepthRule({ n: limits.maxDepth, ignoreIntrospection: false, flattenFragments: true, ...common }),
    maxAliasesRule({ n: limits.maxAliases, ...common }),
  ];
  // One parse function for every request (a closure per request would be garbage per request).
  const parseWithLimits = (source: Parameters<typeof parse>[0], options?: ParseOptions) => {
    try {
      return parse(source, { ...options, maxTokens: limits.maxTokens });
    } catch (e) {
      if (e instanceof GraphQLError && /\d+ tokens\. Parsing aborted/.test(e.message)) {
        throw tooComplex(`Query has more than ${limits.maxTokens} tokens.`);
      }
      throw e;
    }
  };
  return {
    onParse({ setParseFn }) {
      setParseFn(parseWithLimits);
    },
    onValidate({ addValidationRule }) {
      for (const r of rules) addValidationRule(r);
    },
  };
}
