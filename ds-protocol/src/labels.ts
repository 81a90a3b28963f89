/**
 * Labels (an application's name on the wire) and tags (the page's own billing sub-label) share
 * one alphabet and length. Also used for transaction ids, module names and results. No
 * imports: the browser SDK uses this module too (`@cardlink/ds-protocol/labels`).
 */
export const TOKEN_PATTERN = '^[A-Za-z0-9._:-]{1,64}$';
export const TOKEN_RE = new RegExp(TOKEN_PATTERN);
export const MAX_TOKEN_LENGTH = 64;
/** For an HTML `pattern` attribute, which matches the whole value (escaped for the `v` flag). */
export const TOKEN_HTML_PATTERN = '[A-Za-z0-9._:\\-]{1,64}';
/** What a person is told when a label or tag is refused. */
export const TOKEN_RULE = '1-64 characters of A-Z a-z 0-9 . _ : -';

export const isLabel = (value: unknown): value is string => typeof value === 'string' && TOKEN_RE.test(value);
export const isTag = isLabel;
