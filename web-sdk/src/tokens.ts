// PKCS#11 tokens: any token with a PKCS#11 library on the user's machine (OpenSC, SoftHSM2,
// vendor libraries), listed with their certificates; signatures with a certificate's key.
import {
  Pkcs11LibrariesDocument,
  TokenAuthenticateDocument,
  TokenCertificatesDocument,
  TokenMechanismsDocument,
  TokenSignDocument,
  TokensDocument,
  type Algorithm,
  type Pkcs11LibrariesQuery,
  type TokenCertificatesQuery,
  type TokenFieldsFragment,
  type TokenSignMutationVariables,
  type TypedDocumentString,
} from './generated/graphql.js';
import { ConnectorError } from './errors.js';
import { contextOf, type ClientContext } from './client-context.js';
import type { Connector } from './connector.js';
import { hashToBase64 } from './validate.js';
import type { SignatureResult } from './types.js';

/** A token in a library's slot; `alsoServedBy` names the card module that serves the same card (e.g. BEID in a reader). */
export type Token = TokenFieldsFragment;
export type TokenCertificate = TokenCertificatesQuery['token']['certificates'][number];
export type Pkcs11Library = Pkcs11LibrariesQuery['pkcs11Libraries'][number];

export interface TokenSignRequest {
  /** A token's `id` from `list()`. */
  tokenId: string;
  /** The chosen certificate's `keyId`: the token signs with the private key of that id. */
  keyId: string;
  /** One of the certificate's `algorithms`. */
  algorithm: Algorithm;
  /** The hash to sign (bytes or base64); its length must match the algorithm's digest. */
  hash: Uint8Array | ArrayBuffer | ArrayBufferView | string;
  /**
   * Legacy applications only (PIN entered by the host page): the token's PIN. Without it the
   * user types the PIN on the connector's own page, opened as a popup: call from a click.
   */
  pin?: string;
  /**
   * The token needs no PIN typed anywhere: it has a PIN pad (`protectedAuthenticationPath`) or
   * no login (`!loginRequired`). No popup is opened.
   */
  noPin?: boolean;
  /** Legacy applications: spend the last PIN try when the token says only one is left (on the connector page the user ticks it). */
  allowLastTry?: boolean;
  /** Shown on the connector page as the document being signed (marked as given by the page). */
  documentName?: string;
}

export interface Tokens {
  /**
   * Tokens of every library (or of `library` only; then that library's failure is thrown). A
   * Belgian eID seen through OpenSC is listed with `alsoServedBy`; `servedElsewhere: false` leaves it out.
   */
  list(library?: string, opts?: { servedElsewhere?: boolean }): Promise<Token[]>;
  /** The libraries in use and, for one that fails, why. */
  libraries(): Promise<Pkcs11Library[]>;
  /** Certificates on a token (no PIN needed), each with its key id, parsed fields and usable algorithms. */
  certificates(tokenId: string): Promise<TokenCertificate[]>;
  /** The PKCS#11 mechanisms the token lists, by name (CKM_...). */
  mechanisms(tokenId: string): Promise<string[]>;
  /**
   * Sign a hash with a certificate's key. ECDSA signatures are plain r||s, as WebCrypto verifies
   * them. Without `pin` (and without `noPin`) the PIN is typed on the connector's page: call from a click.
   */
  sign(req: TokenSignRequest): Promise<SignatureResult>;
  /** The same, recorded as an authentication (e.g. a challenge's hash). */
  authenticate(req: TokenSignRequest): Promise<SignatureResult>;
}

export type TokensContext = Pick<ClientContext, 'query' | 'onConnectorPage' | 'waitingMutation'>;

const invalid = (message: string) => new ConnectorError('INVALID_INPUT', message);

function nonEmpty(v: unknown, what: string): string {
  if (typeof v !== 'string' || v === '') throw invalid(`${what}: empty`);
  return v;
}

function signInput(req: TokenSignRequest, operation?: string) {
  // keyId and pin are checked by the connector (INVALID_INPUT); the SDK stays small.
  return {
    tokenId: nonEmpty(req.tokenId, 'tokenId'),
    keyId: nonEmpty(req.keyId, 'keyId'),
    algorithm: req.algorithm,
    hash: hashToBase64(req.hash),
    pin: operation ? null : (req.pin ?? null),
    allowLastTry: req.allowLastTry === true,
    operation: operation ?? null,
    documentName: req.documentName ?? null,
  };
}

export function createTokens(c: TokensContext): Tokens {
  /** With a PIN from the page (legacy) or none needed, one request; otherwise on the connector's page. */
  const signWith = <R>(doc: TypedDocumentString<R, TokenSignMutationVariables>, name: string, req: TokenSignRequest): Promise<R> => {
    signInput(req);
    if (req.pin !== undefined || req.noPin === true) return c.waitingMutation(doc, name, { input: signInput(req) });
    return c.onConnectorPage('pin', (op, signal) => c.waitingMutation(doc, name, { input: signInput(req, op) }, signal));
  };
  return {
    list: async (library, opts) =>
      (await c.query(TokensDocument, { library: library === undefined ? null : nonEmpty(library, 'library'), servedElsewhere: opts?.servedElsewhere !== false })).tokens,
    libraries: async () => (await c.query(Pkcs11LibrariesDocument, {})).pkcs11Libraries,
    certificates: async (tokenId) => (await c.query(TokenCertificatesDocument, { id: nonEmpty(tokenId, 'tokenId') })).token.certificates,
    mechanisms: async (tokenId) => (await c.query(TokenMechanismsDocument, { id: nonEmpty(tokenId, 'tokenId') })).token.mechanisms,
    sign: async (req) => (await signWith(TokenSignDocument, 'TokenSign', req)).tokenSign,
    authenticate: async (req) => (await signWith(TokenAuthenticateDocument, 'TokenAuthenticate', req)).tokenAuthenticate,
  };
}

/**
 * PKCS#11 tokens of a connector (OpenSC, SoftHSM2, vendor libraries): list, certificates, sign.
 * An entry point of its own (`@cardlink/web-sdk/tokens`), so pages that use only the eID do not
 * carry it.
 */
export function tokensOf(connector: Connector): Tokens {
  return createTokens(contextOf(connector));
}
