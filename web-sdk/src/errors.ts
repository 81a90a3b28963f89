import type { ErrorCode } from './generated/enums.js';

export type { ErrorCode };

/**
 * Codes the SDK gives on its own, when no connector answer carries one:
 * - `CONNECTOR_UNREACHABLE`: no answer at all (not running, certificate not trusted,
 *   local-network request blocked by the browser).
 * - `NETWORK`: a connection that was open broke (e.g. an event stream was cut).
 * - `INVALID_RESPONSE`: something answered, but not with a GraphQL response the SDK understands.
 * - `POPUP_BLOCKED`: the browser refused to open the connector's page (PIN entry, consent):
 *   call the SDK from the user's click.
 * - `USER_CANCELLED` (also a connector code): the user closed the connector's page.
 */
export type ClientErrorCode = 'CONNECTOR_UNREACHABLE' | 'NETWORK' | 'INVALID_RESPONSE' | 'POPUP_BLOCKED';

/** Every `ConnectorError.code`: the schema's `ErrorCode` values and the SDK's own. */
export type ConnectorErrorCode = ErrorCode | ClientErrorCode;

export interface ConnectorErrorOptions {
  /** PIN tries left (PIN_INCORRECT, PIN_LAST_TRY_REFUSED, PIN_BLOCKED). */
  retriesLeft?: number | undefined;
  /** Seconds to wait before retrying (RATE_LIMITED). */
  retryAfterSeconds?: number | undefined;
  /** HTTP status of the answer, when there was one. */
  status?: number | undefined;
  /** Other `extensions` the connector sent (e.g. `limit` for BODY_TOO_LARGE). */
  details?: Record<string, unknown> | undefined;
  cause?: unknown;
}

/** The only error type the SDK throws or reports. */
export class ConnectorError extends Error {
  override readonly name = 'ConnectorError';
  readonly code: ConnectorErrorCode;
  readonly retriesLeft?: number;
  readonly retryAfterSeconds?: number;
  readonly status?: number;
  readonly details?: Record<string, unknown>;

  constructor(code: ConnectorErrorCode, message: string, o: ConnectorErrorOptions = {}) {
    super(message, o.cause === undefined ? undefined : { cause: o.cause });
    this.code = code;
    if (o.retriesLeft !== undefined) this.retriesLeft = o.retriesLeft;
    if (o.retryAfterSeconds !== undefined) this.retryAfterSeconds = o.retryAfterSeconds;
    if (o.status !== undefined) this.status = o.status;
    if (o.details !== undefined) this.details = o.details;
  }
}

export const isConnectorError = (e: unknown): e is ConnectorError => e instanceof ConnectorError;

/** What a GraphQL error in a response looks like, as far as the SDK relies on it. */
export interface GraphQLErrorLike {
  message?: unknown;
  extensions?: Record<string, unknown> | null | undefined;
}

/** The parts of a fetch Response the mapping reads. */
export interface ResponseLike {
  status: number;
  headers: { get(name: string): string | null };
}

/** Status codes the connector uses for requests refused before GraphQL runs. */
const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'BAD_REQUEST',
  403: 'ORIGIN_NOT_ALLOWED',
  405: 'BAD_REQUEST',
  406: 'BAD_REQUEST',
  413: 'BODY_TOO_LARGE',
  415: 'BAD_REQUEST',
  421: 'HOST_NOT_ALLOWED',
  429: 'RATE_LIMITED',
};

const codeForStatus = (status: number | undefined): ConnectorErrorCode =>
  (status !== undefined && STATUS_CODES[status]) || (status !== undefined && status >= 500 ? 'INTERNAL' : 'INVALID_RESPONSE');

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** `Retry-After` as seconds (delta-seconds or HTTP date). */
function retryAfter(response: ResponseLike | undefined): number | undefined {
  const h = response?.headers.get('retry-after');
  if (!h) return undefined;
  if (/^\d+$/.test(h.trim())) return Number(h);
  const at = Date.parse(h);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/**
 * A GraphQL error response (or an SSE `next` payload with errors) as one ConnectorError: the
 * first error carrying an `extensions.code` wins; without any code the HTTP status decides.
 */
export function fromGraphQLErrors(errors: readonly GraphQLErrorLike[], response?: ResponseLike): ConnectorError {
  const first = errors.find((e) => typeof e?.extensions?.code === 'string') ?? errors[0];
  const { code, retriesLeft, retryAfterSeconds, ...rest } = first?.extensions ?? {};
  const status = response?.status;
  const message = typeof first?.message === 'string' && first.message ? first.message : `The connector refused the request (HTTP ${status ?? '?'}).`;
  return new ConnectorError(typeof code === 'string' ? (code as ErrorCode) : codeForStatus(status), message, {
    retriesLeft: num(retriesLeft),
    retryAfterSeconds: num(retryAfterSeconds) ?? retryAfter(response),
    status,
    details: Object.keys(rest).length > 0 ? rest : undefined,
  });
}

/** An answer whose body is not a GraphQL response: the status tells what happened. */
export function fromHttpStatus(response: ResponseLike, cause?: unknown): ConnectorError {
  const { status } = response;
  const ok = status >= 200 && status < 300;
  if (ok && isFetchFailure(cause)) {
    return new ConnectorError('NETWORK', 'The connection to the connector broke while reading its answer.', { status, cause });
  }
  return new ConnectorError(
    ok ? 'INVALID_RESPONSE' : codeForStatus(status),
    ok ? 'The connector answered with a body that is not a GraphQL response.' : `The connector refused the request (HTTP ${status}).`,
    { status, retryAfterSeconds: retryAfter(response), cause },
  );
}

export const UNREACHABLE_CAUSES =
  'Likely causes: (1) the connector is not installed or not running: install or start it; ' +
  '(2) its certificate is not trusted by this browser: run `connector trust` and restart the browser; ' +
  '(3) the browser blocked the request to the local network: allow the local network access permission for this site.';

/** Was this fetch's rejection the browser's "could not get an answer" TypeError? */
export const isFetchFailure = (e: unknown): boolean => e instanceof TypeError;

const pageOrigin = (): string => {
  const o = (globalThis as { location?: { origin?: string } }).location?.origin;
  return o && o !== 'null' ? o : 'this page';
};

/**
 * A fetch that rejected. In a browser, "not running", "certificate not trusted" and "origin
 * refused" (403 without CORS headers) all look the same: a TypeError. `probe` asks again
 * with `mode: 'no-cors'`; an opaque answer means the connector is up and trusted, so the
 * origin was the problem.
 */
export async function fromFetchFailure(error: unknown, baseUrl: string, probe: () => Promise<boolean>): Promise<ConnectorError> {
  if (!isFetchFailure(error)) {
    return new ConnectorError('NETWORK', `The request to the connector failed: ${(error as Error)?.message ?? String(error)}`, { cause: error });
  }
  if (await probe()) {
    return new ConnectorError(
      'ORIGIN_NOT_ALLOWED',
      `The connector at ${baseUrl} is running but does not allow ${pageOrigin()}. Register this origin for the application ` +
        '(in the Distribution Service, or in the connector\'s --origins file during development).',
      { cause: error },
    );
  }
  return new ConnectorError('CONNECTOR_UNREACHABLE', `Cannot reach the connector at ${baseUrl}. ${UNREACHABLE_CAUSES}`, { cause: error });
}

/** What urql reports for a failed operation (its CombinedError), as far as the mapping needs. */
export interface OperationErrorLike {
  networkError?: unknown;
  graphQLErrors: readonly GraphQLErrorLike[];
  response?: unknown;
}

export const asResponse = (r: unknown): ResponseLike | undefined =>
  r && typeof (r as ResponseLike).status === 'number' && typeof (r as ResponseLike).headers?.get === 'function' ? (r as ResponseLike) : undefined;

/** Every way a GraphQL operation can fail, as one ConnectorError. */
export async function fromOperationError(e: OperationErrorLike, baseUrl: string, probe: () => Promise<boolean>): Promise<ConnectorError> {
  const response = asResponse(e.response);
  if (e.networkError === undefined || e.networkError === null) return fromGraphQLErrors(e.graphQLErrors, response);
  // An answer came but its body was not a GraphQL response (or broke while being read).
  if (response) return fromHttpStatus(response, e.networkError);
  // No answer at all: fetch itself rejected.
  return fromFetchFailure(e.networkError, baseUrl, probe);
}

/** A refused request read directly (subscription, file URL): GraphQL errors in a JSON body, else the status alone. */
export async function errorFromBody(res: Response): Promise<ConnectorError> {
  let body: { errors?: GraphQLErrorLike[] } | undefined;
  try {
    body = JSON.parse(await res.text());
  } catch (e) {
    return fromHttpStatus(res, e);
  }
  return Array.isArray(body?.errors) && body.errors.length > 0 ? fromGraphQLErrors(body.errors, res) : fromHttpStatus(res);
}
