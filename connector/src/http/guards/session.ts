import { randomUUID } from 'node:crypto';
import { ConnectorError } from '../../errors.js';
import type { CardCaller } from '../../card/card-caller.js';
import type { Caller } from './caller.js';

/** The SDK's per-tab id: random, generated once per page load. */
const SESSION = /^[A-Za-z0-9_-]{16,64}$/;

/**
 * The browser tab a request comes from, from the T1C-Session header: malformed is refused;
 * absent gives the request a session of its own (nothing verified is ever reused by it).
 */
export function parseSession(value: string | string[] | undefined): string {
  if (value === undefined) return `request:${randomUUID()}`;
  if (Array.isArray(value) || !SESSION.test(value)) {
    throw new ConnectorError('BAD_REQUEST', 'T1C-Session must be 16-64 characters of A-Z a-z 0-9 _ -');
  }
  return `tab:${value}`;
}

/** Who the card's security state would belong to for this request. */
export function cardCallerOf(caller: Caller, tab: string): CardCaller {
  const app = caller.entry ? `${caller.entry.label} ${caller.entry.origin.toLowerCase()}` : caller.label;
  return { app, tab, pinReuseMs: (caller.entry?.pinReuseMinutes ?? 0) * 60_000 };
}
