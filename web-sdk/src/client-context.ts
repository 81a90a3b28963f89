// The request helpers of each connector client, reachable by optional entry points (such as
// `@cardlink/web-sdk/tokens`) without the core SDK bundling them. A registered symbol, not a
// module-level map: each entry point may be bundled apart and must still find it.
import type { FilesContext } from './files.js';
import type { TypedDocumentString } from './generated/graphql.js';

/** What the optional entry points use besides the files helpers: the connector page and waiting mutations. */
export interface ClientContext extends FilesContext {
  /** Open the connector's page for a fresh operation id (inside the caller's click), then run `request` that claims it. */
  onConnectorPage<R>(page: 'pin', request: (operation: string, signal: AbortSignal) => Promise<R>): Promise<R>;
  /** A mutation posted directly, abortable (closing the connector's page cancels it). */
  waitingMutation<R, V>(doc: TypedDocumentString<R, V>, operationName: string, variables: V, signal?: AbortSignal): Promise<R>;
}

const CONTEXT = Symbol.for('cardlink.web-sdk.context');

export function registerContext(connector: object, context: ClientContext): void {
  Object.defineProperty(connector, CONTEXT, { value: context });
}

export function contextOf(connector: object): ClientContext {
  const c = (connector as { [CONTEXT]?: ClientContext })[CONTEXT];
  if (!c) throw new TypeError('not a connector made by createConnector()');
  return c;
}
