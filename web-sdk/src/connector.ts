import { Client, fetchExchange, type AnyVariables, type CombinedError, type OperationResult, type OperationResultSource } from '@urql/core';
import {
  AuthenticateDocument,
  BeidReadDocument,
  ChangePinDocument,
  InfoDocument,
  ReaderEventsDocument,
  ReadersDocument,
  RequestConsentDocument,
  SignDocument,
  TransactionsDocument,
  VerifyPinDocument,
  type Algorithm,
  type ReaderEventsSubscription,
  type TypedDocumentString,
} from './generated/graphql.js';
import { asResponse, ConnectorError, errorFromBody, fromFetchFailure, fromGraphQLErrors, fromOperationError, isFetchFailure, type GraphQLErrorLike } from './errors.js';
import { createFiles, createPrinting, type Files, type Printing } from './files.js';
import { registerContext } from './client-context.js';
import { checkPin, checkReaderId, checkTag, hashToBase64, isoDateTime } from './validate.js';
import { TAB_SESSION } from './tab-session.js';
import type {
  Address,
  BeidCertificates,
  BeidParts,
  BeidReadOptions,
  BeidReadResult,
  Identity,
  Info,
  Integrity,
  Photo,
  PinStatus,
  Reader,
  ReaderEvent,
  SignatureResult,
  TransactionSummary,
} from './types.js';

/** Where a connector listens by default. */
export const DEFAULT_URL = 'https://localhost:51983';

export interface ConnectorOptions {
  /** The connector's base URL (default `https://localhost:51983`); a trailing `/graphql` is accepted. */
  url?: string;
  /** Billing tag sent as the `T1C-Tag` header: 1-64 characters of `A-Z a-z 0-9 . _ : -`. */
  tag?: string | null;
  /** The fetch to use (default: the global `fetch`). */
  fetch?: typeof fetch;
  /** Opens the connector's page (default: `window.open`); returns null when the browser blocks it. */
  openWindow?: (url: string, name: string, features: string) => WindowLike | null;
}

/** The part of a popup window the SDK uses. */
export interface WindowLike {
  readonly closed: boolean;
  close(): void;
}

export interface PinOptions {
  /** Let the connector spend the card's last PIN try (refused with PIN_LAST_TRY_REFUSED otherwise). */
  allowLastTry?: boolean;
}

export interface SignRequest extends PinOptions {
  algorithm: Algorithm;
  /** The digest to sign: bytes, or base64. Its length must match the algorithm's hash. */
  hash: Uint8Array | ArrayBuffer | ArrayBufferView | string;
  /**
   * Legacy applications only (PIN entered by the host page): 4-12 digits. Without it the user
   * types the PIN on the connector's own page, opened as a popup: call from a click.
   */
  pin?: string;
  /** Shown on the connector page as the document being signed (marked as given by the page). */
  documentName?: string;
}

export type AuthenticateRequest = SignRequest;

export interface TransactionsRange {
  from?: Date | string;
  to?: Date | string;
}

/** A Belgian eID card in one reader. Every call is one request to the connector. */
export interface BeidCard {
  readonly readerId: string;
  /** Any mix of parts in one round trip; only the card files the selection needs are read. */
  read<O extends BeidReadOptions>(parts: O): Promise<BeidReadResult<O>>;
  identity(): Promise<Identity>;
  address(): Promise<Address>;
  photo(): Promise<Photo>;
  certificates(): Promise<BeidCertificates>;
  /** Identity, address and photo checked against the RRN signatures. */
  integrity(): Promise<Integrity>;
  algorithms(): Promise<BeidParts['algorithms']>;
  appletVersion(): Promise<string>;
  /** Tries left without spending one, where the card can tell (applet 1.8); null otherwise. */
  pinTriesLeft(): Promise<number | null>;
  /** Without `pin`, the user types it on the connector's page (popup: call from a click). */
  verifyPin(pin?: string, opts?: PinOptions): Promise<PinStatus>;
  /** Without PINs, the user types both on the connector's page (popup: call from a click). */
  changePin(oldPin?: string, newPin?: string, opts?: PinOptions): Promise<PinStatus>;
  /** Qualified signature with the non-repudiation key. */
  sign(req: SignRequest): Promise<SignatureResult>;
  /** Signature with the authentication key (e.g. over a challenge's hash). */
  authenticate(req: AuthenticateRequest): Promise<SignatureResult>;
}

export interface Connector extends Printing {
  /** The base URL this client talks to. */
  readonly url: string;
  /** The current T1C-Tag, or null. */
  readonly tag: string | null;
  /** Change (or, with null, drop) the tag for the following requests. Throws INVALID_TAG. */
  setTag(tag: string | null): void;
  info(): Promise<Info>;
  readers(): Promise<Reader[]>;
  /**
   * Reader and card events, live (Server-Sent Events). Returns the unsubscribe function.
   * `onError` is called at most once, when the subscription ends for any reason other than
   * unsubscribing (then subscribe again to resume); without it the error is logged.
   */
  onReaderEvent(callback: (event: ReaderEvent) => void, onError?: (error: ConnectorError) => void): () => void;
  /** Usage recorded for this page's application label. */
  transactions(range?: TransactionsRange): Promise<TransactionSummary>;
  beid(readerId: string): BeidCard;
  /**
   * Ask the user, on the connector's page (popup: call from a click), to let this application
   * read the eID card; needed when `info().consentRequired`. Rejects with CONSENT_REFUSED or USER_CANCELLED.
   */
  requestConsent(): Promise<void>;
  /** Files in the folders mapped on the user's machine: list, download (page → disk), upload (disk → page). */
  readonly files: Files;
}

const ALL_PARTS = ['identity', 'address', 'photo', 'certificates', 'integrity', 'algorithms', 'appletVersion', 'pinTriesLeft'] as const;

export function createConnector(options: ConnectorOptions = {}): Connector {
  const url = (options.url ?? DEFAULT_URL).replace(/\/+$/, '').replace(/\/graphql$/, '');
  const endpoint = `${url}/graphql`;
  let tag = checkTag(options.tag);
  const doFetch: typeof fetch = options.fetch ?? ((input, init) => fetch(input, init));

  const headers = (): Record<string, string> => (tag ? { 'T1C-Tag': tag, 'T1C-Session': TAB_SESSION } : { 'T1C-Session': TAB_SESSION });
  const openWindow = options.openWindow ?? ((u: string, n: string, f: string) => globalThis.open?.(u, n, f) ?? null);

  /**
   * Open the connector's page for a fresh operation id (synchronously, inside the caller's
   * click), then run the request that claims the id. The user closing the page cancels it.
   */
  function onConnectorPage<R>(page: 'pin' | 'consent', request: (operation: string, signal: AbortSignal) => Promise<R>): Promise<R> {
    const operation = crypto.randomUUID();
    const popup = openWindow(`${url}/${page}?op=${operation}`, '_blank', 'popup');
    if (!popup) return Promise.reject(new ConnectorError('POPUP_BLOCKED', 'Popup blocked: call from a click.'));
    const abort = new AbortController();
    return new Promise<R>((resolve, reject) => {
      const watch = setInterval(() => {
        if (!popup.closed) return;
        abort.abort();
        reject(new ConnectorError('USER_CANCELLED', 'Closed by the user.'));
      }, 250);
      request(operation, abort.signal)
        .then(resolve, reject)
        .finally(() => {
          clearInterval(watch);
          if (!popup.closed) popup.close();
        });
    });
  }
  // Asked only after a fetch rejected: does a no-cors request get any answer?
  const probe = () =>
    doFetch(endpoint, { mode: 'no-cors', cache: 'no-store', credentials: 'omit', signal: AbortSignal.timeout?.(5000) }).then(
      () => true,
      () => false,
    );

  const client = new Client({
    url: endpoint,
    exchanges: [fetchExchange],
    // Subscriptions too, over Server-Sent Events (graphql-sse "distinct connections").
    fetchSubscriptions: true,
    fetch: (input, init) => doFetch(input, init),
    fetchOptions: () => ({ headers: headers(), credentials: 'omit' }),
    preferGetMethod: false,
    requestPolicy: 'network-only',
  });

  async function settle<R>(source: OperationResultSource<OperationResult<R, AnyVariables>>): Promise<R> {
    const r = await source.toPromise();
    if (r.error) throw await fromOperationError(r.error, url, probe);
    if (r.data === undefined || r.data === null) throw new ConnectorError('INVALID_RESPONSE', 'The connector answered without data.');
    return r.data;
  }
  const query = <R, V extends AnyVariables>(doc: TypedDocumentString<R, V>, vars: V) => settle<R>(client.query<R, V>(String(doc), vars));
  // A variable holding a Blob makes urql send a GraphQL multipart request; multipart/form-data
  // is a CORS "simple" type, so the connector requires this header to force a preflight.
  const withFileOptions = { fetchOptions: () => ({ headers: { ...headers(), 'GraphQL-Require-Preflight': '1' }, credentials: 'omit' as const }) };
  const mutate = <R, V extends AnyVariables>(doc: TypedDocumentString<R, V>, vars: V, withFile?: boolean) =>
    settle<R>(client.mutation<R, V>(String(doc), vars, withFile ? withFileOptions : undefined));
  /** PIN and consent mutations: posted directly, so that closing the connector's page can abort them (urql cannot). */
  async function waitingMutation<R, V>(doc: TypedDocumentString<R, V>, operationName: string, variables: V, signal?: AbortSignal): Promise<R> {
    let res: Response;
    try {
      res = await doFetch(endpoint, {
        method: 'POST',
        headers: { ...headers(), 'content-type': 'application/json' },
        body: JSON.stringify({ query: String(doc), operationName, variables }),
        credentials: 'omit',
        signal,
      });
    } catch (e) {
      throw await fromFetchFailure(e, url, probe);
    }
    const body = (await res.json().catch(() => null)) as { data?: R; errors?: GraphQLErrorLike[] } | null;
    if (body?.errors?.length) throw fromGraphQLErrors(body.errors, res);
    if (!res.ok || !body?.data) throw await errorFromBody(res);
    return body.data;
  }
  const fileContext = { baseUrl: url, query, mutate, fetch: doFetch, headers, probe };

  /**
   * The reader events subscription over Server-Sent Events as the connector (graphql-yoga)
   * serves them, read by urql's fetchExchange (`fetchSubscriptions`). Any end other than
   * unsubscribing is reported once: the first error, or the stream's end.
   */
  function onReaderEvent(callback: (event: ReaderEvent) => void, onError?: (error: ConnectorError) => void): () => void {
    let over = false;
    let cancelled = false;
    // A holder: an end reported before subscribe() returned still unsubscribes.
    const live: { sub?: { unsubscribe(): void } } = {};
    const end = (error: ConnectorError | Promise<ConnectorError>) => {
      if (over) return;
      over = true;
      live.sub?.unsubscribe();
      void Promise.resolve(error).then((e) => {
        if (cancelled) return;
        if (onError) onError(e);
        else console.error(e);
      });
    };
    const streamError = async (error: CombinedError): Promise<ConnectorError> => {
      const res = asResponse(error.response);
      if (error.networkError && res && res.status >= 200 && res.status < 300 && /^text\/event-stream/i.test(res.headers.get('content-type') ?? '')) {
        // The stream had started: an event that is not JSON, a connection that broke, or an end before any event.
        const cause = error.networkError;
        if (cause instanceof SyntaxError) return new ConnectorError('INVALID_RESPONSE', 'The connector sent an event that is not JSON.', { cause });
        if (isFetchFailure(cause)) return new ConnectorError('NETWORK', 'The reader event stream from the connector was interrupted.', { cause });
        return new ConnectorError('NETWORK', 'The reader event stream closed unexpectedly.', { cause });
      }
      return fromOperationError(error, url, probe);
    };
    live.sub = client
      .subscription<ReaderEventsSubscription>(String(ReaderEventsDocument), {}, { fetchOptions: () => ({ headers: { ...headers(), accept: 'text/event-stream' }, credentials: 'omit' }) })
      .subscribe((r) => {
        if (over) return;
        if (r.error) end(streamError(r.error));
        // urql's last result of a stream (hasNext false) repeats the previous data: not an event.
        else if (r.hasNext === false) end(new ConnectorError('NETWORK', 'The connector ended the reader event stream; subscribe again to resume.'));
        else if (r.data?.readerEvents) callback(r.data.readerEvents);
      });
    if (over) live.sub.unsubscribe();
    return () => {
      cancelled = over = true;
      live.sub?.unsubscribe();
    };
  }

  function beid(readerIdArg: string): BeidCard {
    const readerId = checkReaderId(readerIdArg);
    const read = async <O extends BeidReadOptions>(parts: O): Promise<BeidReadResult<O>> => {
      const flags = {} as Record<(typeof ALL_PARTS)[number], boolean>;
      let any = false;
      for (const p of ALL_PARTS) any = (flags[p] = parts?.[p] === true) || any;
      if (!any) throw new ConnectorError('INVALID_INPUT', `Select at least one of ${ALL_PARTS.join(', ')}.`);
      const { beid } = await query(BeidReadDocument, { readerId, ...flags });
      return beid as BeidReadResult<O>;
    };
    const one =
      <K extends keyof BeidParts>(part: K) =>
      async (): Promise<BeidParts[K]> =>
        ((await read({ [part]: true })) as Partial<BeidParts>)[part] as BeidParts[K];
    const signInput = (req: SignRequest, operation?: string) => ({
      readerId,
      algorithm: req.algorithm,
      hash: hashToBase64(req.hash),
      pin: operation ? null : checkPin(req.pin),
      allowLastTry: req.allowLastTry === true,
      operation: operation ?? null,
      documentName: req.documentName ?? null,
    });
    /** With a PIN from the page (legacy applications), or on the connector page without one. */
    const withPin = <R>(pinGiven: boolean, page: (operation?: string, signal?: AbortSignal) => Promise<R>) =>
      pinGiven ? page() : onConnectorPage('pin', page);
    const signWith = async (doc: typeof SignDocument | typeof AuthenticateDocument, req: SignRequest) => {
      hashToBase64(req.hash);
      if (req.pin !== undefined) checkPin(req.pin);
      return withPin(req.pin !== undefined, async (op, signal) => {
        const data = (await waitingMutation(doc as typeof SignDocument, doc === SignDocument ? 'Sign' : 'Authenticate', { input: signInput(req, op) }, signal)) as { sign?: SignatureResult; authenticate?: SignatureResult };
        return (data.sign ?? data.authenticate)!;
      });
    };
    return {
      readerId,
      read,
      identity: one('identity'),
      address: one('address'),
      photo: one('photo'),
      certificates: one('certificates'),
      integrity: one('integrity'),
      algorithms: one('algorithms'),
      appletVersion: one('appletVersion'),
      pinTriesLeft: one('pinTriesLeft'),
      async verifyPin(pin, opts) {
        if (pin !== undefined) checkPin(pin);
        return withPin(pin !== undefined, async (op, signal) => {
          const input = { readerId, pin: op ? null : checkPin(pin), operation: op ?? null, allowLastTry: opts?.allowLastTry === true };
          return (await waitingMutation(VerifyPinDocument, 'VerifyPin', { input }, signal)).verifyPin;
        });
      },
      async changePin(oldPin, newPin, opts) {
        return withPin(oldPin !== undefined || newPin !== undefined, async (op, signal) => {
          const input = op
            ? { readerId, oldPin: null, newPin: null, operation: op, allowLastTry: opts?.allowLastTry === true }
            : { readerId, oldPin: checkPin(oldPin, 'current PIN'), newPin: checkPin(newPin, 'new PIN'), operation: null, allowLastTry: opts?.allowLastTry === true };
          return (await waitingMutation(ChangePinDocument, 'ChangePin', { input }, signal)).changePin;
        });
      },
      sign: (req) => signWith(SignDocument, req),
      authenticate: (req) => signWith(AuthenticateDocument, req),
    };
  }

  const connector: Connector = {
    url,
    get tag() {
      return tag;
    },
    setTag(t) {
      tag = checkTag(t);
    },
    info: async () => (await query(InfoDocument, {})).info,
    readers: async () => (await query(ReadersDocument, {})).readers,
    onReaderEvent,
    async transactions(range = {}) {
      const vars = { from: isoDateTime(range.from, 'from'), to: isoDateTime(range.to, 'to') };
      return (await query(TransactionsDocument, vars)).transactions;
    },
    beid,
    async requestConsent() {
      await onConnectorPage('consent', (operation, signal) => waitingMutation(RequestConsentDocument, 'RequestConsent', { operation }, signal));
    },
    files: createFiles(fileContext),
    ...createPrinting(fileContext),
  };
  registerContext(connector, { ...fileContext, onConnectorPage, waitingMutation });
  return connector;
}
