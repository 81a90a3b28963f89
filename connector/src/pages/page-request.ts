import type { IncomingMessage } from 'node:http';
import { ConnectorError } from '../errors.js';
import { readBody } from '../http/body.js';
import { negotiate, translator, type Lang, type Translate } from './i18n.js';

export interface PageRequest {
  lang: Lang;
  t: Translate;
  /** The Host header, already checked by the host guard. */
  host: string;
  /** The connector's own origin as this browser reaches it. */
  ownOrigin: string;
  url: URL;
}

/** Language, host and URL of a page request (a top-level navigation or a form post). */
export function pageRequest(req: IncomingMessage): PageRequest {
  const host = req.headers.host ?? 'localhost';
  const lang = negotiate(req.headers['accept-language']);
  return { lang, t: translator(lang), host, ownOrigin: `https://${host}`, url: new URL(req.url ?? '/', `https://${host}`) };
}

const FORM_LIMIT = 4096;

/**
 * The fields of a form the connector's own page posted. State changes come only from our own
 * origin: the Origin header must be exactly the connector's (browsers send it on every POST),
 * and Sec-Fetch-Site, when sent, must say same-origin. Each form also carries a CSRF secret
 * that the caller checks against its operation.
 */
export async function readOwnForm(req: IncomingMessage, p: PageRequest): Promise<URLSearchParams> {
  if (req.method !== 'POST') throw new ConnectorError('BAD_REQUEST', 'Use POST.', { httpStatus: 405 });
  const site = req.headers['sec-fetch-site'];
  if (req.headers.origin !== p.ownOrigin || (site !== undefined && site !== 'same-origin')) {
    throw new ConnectorError('ORIGIN_NOT_ALLOWED', "Only the connector's own pages may post here.");
  }
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new ConnectorError('BAD_REQUEST', 'Expected a form.', { httpStatus: 415 });
  }
  return new URLSearchParams((await readBody(req, FORM_LIMIT)).toString('utf8'));
}
