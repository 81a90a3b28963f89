/**
 * Values a page controls (operation names, tags, origins, user agents) reach log lines only
 * through these: bounded, and with control characters replaced, so a page cannot fill the
 * disk or forge lines.
 */

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;

/** An operation name as logged: only a well-formed GraphQL Name of at most 64 characters. */
export function loggableOperationName(name: unknown): string | undefined {
  return typeof name === 'string' && GRAPHQL_NAME.test(name) ? name : undefined;
}

/** Any other page-supplied string: at most `max` characters, control characters as `?`. */
export function loggableText(value: unknown, max = 128): string | undefined {
  if (typeof value !== 'string') return undefined;
  const cut = value.length > max ? `${value.slice(0, max)}…(${value.length} chars)` : value;
  // eslint-disable-next-line no-control-regex
  return cut.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
}
