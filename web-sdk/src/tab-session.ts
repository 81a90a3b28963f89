/**
 * This page load's id, sent as T1C-Session on every request: the connector keeps a PIN
 * verified by this tab for this tab (and this application) only. Random, made once per
 * page load (a module-level value), never stored. A UUID fits the connector's rule
 * (16-64 of A-Z a-z 0-9 _ -).
 */
export const TAB_SESSION: string = crypto.randomUUID();
