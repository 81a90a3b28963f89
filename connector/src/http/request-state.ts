import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Caller } from './guards/caller.js';

/** What the guards learned about one request, for the plugins after them and the log line. */
export interface RequestState {
  readonly started: number;
  caller?: Caller;
  tag?: string | null;
  /** The browser tab (T1C-Session), or a session of the request's own. */
  tab?: string;
  /** The operation name as the page gave it (bounded only when logged). */
  operation?: string | undefined;
}

/** The node objects yoga's node adapter hands every plugin as the server context. */
export interface NodeServerContext {
  req: IncomingMessage;
  res: ServerResponse;
}

/** A symbol on the node request rather than a WeakMap entry: no ephemeron per request for the GC to trace. */
const STATE = Symbol('cardlink.requestState');
type WithState = IncomingMessage & { [STATE]?: RequestState };

/** Keyed by the node request: yoga may wrap or replace its fetch Request, the socket's request stays. */
export function stateOf(req: IncomingMessage): RequestState {
  return ((req as WithState)[STATE] ??= { started: performance.now() });
}
