import { ConnectorError } from '../../errors.js';

/**
 * Headers a guard decides on must come once. Node keeps the first Host or Authorization and
 * joins repeated others, so "which one counts" would differ between us and a proxy in front.
 */
const SINGLE = new Set(['host', 'origin', 'authorization', 't1c-tag']);

/** Throws BAD_REQUEST (400) when one of the guarded headers is repeated. */
export function refuseRepeatedHeaders(rawHeaders: readonly string[]): void {
  let seen = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    if (!SINGLE.has(name)) continue;
    const bit = name === 'host' ? 1 : name === 'origin' ? 2 : name === 'authorization' ? 4 : 8;
    if (seen & bit) throw new ConnectorError('BAD_REQUEST', `The ${name} header must appear once.`, { httpStatus: 400 });
    seen |= bit;
  }
}
