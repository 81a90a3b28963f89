import type { Plugin } from '@envelop/core';
import type { DocumentNode, GraphQLError } from 'graphql';

/**
 * Validation results kept per parsed document. Yoga's own validation cache keys each lookup
 * by the names of every validation rule (~30 names mapped and joined on every request); our
 * rule set never changes, so the document alone is the key. Held weakly: a document leaves
 * with the parse cache that bounds it in bytes.
 */
export function useValidationCache(): Plugin {
  const results = new WeakMap<DocumentNode, readonly Error[]>();
  return {
    onValidate({ params: { documentAST }, setResult }) {
      const cached = results.get(documentAST);
      if (cached) {
        setResult(cached as GraphQLError[]);
        return;
      }
      return ({ result }) => {
        if (result != null) results.set(documentAST, result as readonly Error[]);
      };
    },
  };
}
