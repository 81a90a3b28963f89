import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ExecutionResult } from 'graphql';

const HEARTBEAT_MS = 15_000;

export function wantsEventStream(req: IncomingMessage): boolean {
  return (req.headers.accept ?? '').includes('text/event-stream');
}

/**
 * GraphQL over Server-Sent Events ("distinct connections" mode of the GraphQL-SSE
 * protocol): one `next` event per result, `complete` at the end; a comment line every
 * 15 s keeps proxies from closing an idle stream. Closing the request ends the iterator.
 */
export async function streamResults(req: IncomingMessage, res: ServerResponse, results: AsyncIterableIterator<ExecutionResult> | ExecutionResult): Promise<void> {
  res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
  res.flushHeaders();
  if (!(Symbol.asyncIterator in results)) {
    res.end(`event: next\ndata: ${JSON.stringify(results)}\n\nevent: complete\ndata:\n\n`);
    return;
  }
  const heartbeat = setInterval(() => res.write(':\n\n'), HEARTBEAT_MS);
  const onClose = () => void results.return?.();
  req.once('close', onClose);
  res.once('close', onClose);
  try {
    for await (const result of results) {
      if (res.destroyed) break;
      res.write(`event: next\ndata: ${JSON.stringify(result)}\n\n`);
    }
    if (!res.destroyed) res.end('event: complete\ndata:\n\n');
  } finally {
    clearInterval(heartbeat);
  }
}
