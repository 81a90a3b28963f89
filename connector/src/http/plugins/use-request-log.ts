import type { Plugin } from 'graphql-yoga';
import { getOperationAST } from 'graphql';
import type { Logger } from 'pino';
import { loggableOperationName } from '../../log/page-values.js';
import { stateOf, type NodeServerContext } from '../request-state.js';

/**
 * One log line per request when its answer is sent: label, operation, method, status,
 * duration. The operation name is the page's: logged only when it is a short, well-formed Name.
 */
export function useRequestLog(log: Logger): Plugin<NodeServerContext, NodeServerContext> {
  return {
    onRequest({ serverContext: { req, res } }) {
      const state = stateOf(req);
      // `on`, not `once`: a response finishes once, and once's wrapper is garbage per request.
      res.on('finish', () => {
        log.info(
          {
            label: state.caller?.label,
            op: loggableOperationName(state.operation),
            method: req.method,
            status: res.statusCode,
            ms: +(performance.now() - state.started).toFixed(2),
          },
          'request',
        );
      });
    },
    onParams({ params, context }) {
      stateOf(context.req).operation = params.operationName ?? undefined;
    },
    onExecute({ args }) {
      nameFromDocument(args.contextValue as NodeServerContext, args.document, args.operationName);
    },
    onSubscribe({ args }) {
      nameFromDocument(args.contextValue as NodeServerContext, args.document, args.operationName);
    },
  };
}

function nameFromDocument(ctx: NodeServerContext, document: Parameters<typeof getOperationAST>[0], operationName: string | null | undefined) {
  const state = stateOf(ctx.req);
  if (state.operation === undefined) state.operation = getOperationAST(document, operationName)?.name?.value;
}
