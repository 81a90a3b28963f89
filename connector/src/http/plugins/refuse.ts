import type { FetchAPI } from 'graphql-yoga';
import { ConnectorError, isConnectorError } from '../../errors.js';
import { refusal } from '../error-body.js';

/** A guard's refusal as the response that ends the request (nothing after it runs). */
export function refusalResponse(fetchAPI: FetchAPI, error: ConnectorError, headers: Record<string, string> = {}): Response {
  const r = refusal(error);
  return new fetchAPI.Response(r.body, { status: r.status, headers: { ...r.headers, ...headers } });
}

/** Run a guard; a ConnectorError it throws ends the request with its refusal. */
export function guard(fetchAPI: FetchAPI, endResponse: (r: Response) => void, check: () => void): boolean {
  try {
    check();
    return true;
  } catch (e) {
    if (!isConnectorError(e)) throw e;
    endResponse(refusalResponse(fetchAPI, e));
    return false;
  }
}
