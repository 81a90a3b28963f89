import { DEFAULT_URL } from '@cardlink/web-sdk';

// Only a connector on this machine: a page that sends PINs to a URL taken from its own query
// string must never be pointed elsewhere.
const LOOPBACK = /^https:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?\/?$/;

/**
 * The connector's URL: `?connector=https://localhost:PORT`, else the build's
 * `VITE_CONNECTOR_URL`, else the SDK's default (https://localhost:51983).
 */
export function connectorUrl(search: string = location.search): string {
  const fromQuery = new URLSearchParams(search).get('connector');
  if (fromQuery && LOOPBACK.test(fromQuery)) return fromQuery.replace(/\/$/, '');
  const fromEnv = import.meta.env.VITE_CONNECTOR_URL as string | undefined;
  if (fromEnv && LOOPBACK.test(fromEnv)) return fromEnv.replace(/\/$/, '');
  return DEFAULT_URL;
}
