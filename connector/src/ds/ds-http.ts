import { Agent, request } from 'undici';

/** A DS answer that is not a success: typed by the DS's error code, or by what went wrong here. */
export class DsRequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'DsRequestError';
  }
}

export interface DsHttpOptions {
  baseUrl: string;
  /** Extra trust anchors for a DS with a private certificate (PEM). */
  ca?: string;
  timeoutMs?: number;
}

/**
 * POST JSON to the DS and parse the answer. Network failures, timeouts, non-JSON and error
 * bodies all become DsRequestError with a code, so callers branch on codes only.
 */
export function createDsHttp(opts: DsHttpOptions) {
  const timeout = opts.timeoutMs ?? 30_000;
  const dispatcher = new Agent({ connect: opts.ca ? { ca: opts.ca } : {}, headersTimeout: timeout, bodyTimeout: timeout });
  return {
    async post<T>(path: string, body: string, headers: Record<string, string> = {}): Promise<T> {
      let res;
      try {
        res = await request(`${opts.baseUrl}${path}`, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json', ...headers },
          dispatcher,
          signal: AbortSignal.timeout(timeout),
        });
      } catch (e) {
        throw new DsRequestError('DS_UNREACHABLE', `DS unreachable: ${(e as Error).message}`);
      }
      let text: string;
      try {
        text = await res.body.text();
      } catch (e) {
        throw new DsRequestError('DS_UNREACHABLE', `DS answer cut off: ${(e as Error).message}`);
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new DsRequestError('DS_BAD_RESPONSE', `DS answered ${res.statusCode} with a body that is not JSON`, res.statusCode);
      }
      if (res.statusCode >= 200 && res.statusCode < 300) return json as T;
      const err = (json as { error?: { code?: unknown; message?: unknown } }).error;
      throw new DsRequestError(
        typeof err?.code === 'string' ? err.code : 'DS_BAD_RESPONSE',
        typeof err?.message === 'string' ? err.message : `DS answered ${res.statusCode}`,
        res.statusCode,
      );
    },
    close: () => dispatcher.close(),
  };
}

export type DsHttp = ReturnType<typeof createDsHttp>;
