/**
 * This page load's id, sent as T1C-Session on every request: the connector keeps a PIN
 * verified by this tab for this tab (and this application) only. Random, made once per
 * page load (a module-level value), never stored.
 */
export const TAB_SESSION: string = (() => {
  const bytes = new Uint8Array(18);
  crypto.getRandomValues(bytes);
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_');
})();
