// The request helpers of each connector client, reachable by optional entry points (such as
// `@cardlink/web-sdk/tokens`) without the core SDK bundling them. A registered symbol, not a
// module-level map: each entry point may be bundled apart and must still find it.
import type { FilesContext } from './files.js';

const CONTEXT = Symbol.for('cardlink.web-sdk.context');

export function registerContext(connector: object, context: FilesContext): void {
  Object.defineProperty(connector, CONTEXT, { value: context });
}

export function contextOf(connector: object): FilesContext {
  const c = (connector as { [CONTEXT]?: FilesContext })[CONTEXT];
  if (!c) throw new TypeError('not a connector made by createConnector()');
  return c;
}
