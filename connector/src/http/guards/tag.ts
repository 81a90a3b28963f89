import { ConnectorError } from '../../errors.js';

const TAG = /^[A-Za-z0-9._:-]{1,64}$/;

/** The page's billing tag from the T1C-Tag header: absent is fine, malformed is not. */
export function parseTag(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  if (Array.isArray(value) || !TAG.test(value)) {
    throw new ConnectorError('INVALID_TAG', 'T1C-Tag must be 1-64 characters of A-Z a-z 0-9 . _ : -');
  }
  return value;
}
