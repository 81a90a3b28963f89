import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { AllowList, OriginEntry } from '../../origins/allow-list.js';
import { ConnectorError } from '../../errors.js';

export interface Caller {
  label: string;
  /** The allowed browser origin, or null for the local token client. */
  origin: string | null;
  /**
   * What per-caller limits count against: the allow-list entry the origin matched (all
   * sub-domains of a wildcard entry share it), or the label for the local client.
   */
  limitKey: string;
  /** The allow-list entry that let the caller in (its application), or null for the local client. */
  entry: OriginEntry | null;
}

/** Label given to local non-browser clients that present the data-dir token. */
export const LOCAL_CLIENT_LABEL = 'local';

/**
 * Who is calling. A browser always sends Origin on cross-origin requests: it must be on the
 * allow-list. Without Origin, only a local client holding the token from the data dir gets in.
 * `null`, malformed and unknown origins are refused.
 */
export function identifyCaller(headers: IncomingHttpHeaders, allowList: AllowList, localToken: Buffer | undefined): Caller {
  const origin = headers.origin;
  if (origin !== undefined) {
    const match = allowList.match(origin);
    if (match === undefined) throw new ConnectorError('ORIGIN_NOT_ALLOWED', 'This web origin is not allowed to use the connector.');
    return { label: match.label, origin, limitKey: `entry:${match.entry}`, entry: match.source };
  }
  const auth = headers.authorization;
  if (localToken && auth?.startsWith('Bearer ')) {
    const given = Buffer.from(auth.slice(7).trim());
    if (given.length === localToken.length && timingSafeEqual(given, localToken)) {
      return { label: LOCAL_CLIENT_LABEL, origin: null, limitKey: `label:${LOCAL_CLIENT_LABEL}`, entry: null };
    }
  }
  throw new ConnectorError('ORIGIN_NOT_ALLOWED', 'Requests must come from an allowed web origin or carry the local client token.');
}
