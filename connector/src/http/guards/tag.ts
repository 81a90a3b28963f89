import { isTag, TOKEN_RULE } from '@cardlink/ds-protocol';
import { ConnectorError } from '../../errors.js';

/** The page's billing tag from the T1C-Tag header: absent is fine, malformed is not. */
export function parseTag(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  if (Array.isArray(value) || !isTag(value)) {
    throw new ConnectorError('INVALID_TAG', `T1C-Tag must be ${TOKEN_RULE}`);
  }
  return value;
}
