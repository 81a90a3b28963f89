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
  type TypedDocumentString,
} from './generated/graphql.js';
import { ConnectorError } from './errors.js';
import { contextOf } from './client-context.js';
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
  /** The token's PIN; omit it on a token with a PIN pad (`protectedAuthenticationPath`). */
  pin?: string;
  /** Spend the last PIN try when the token says only one is left. */
  allowLastTry?: boolean;
}

export interface Tokens {
  /** Tokens of every library (or of `library` only; then that library's failure is thrown). */
  list(library?: string): Promise<Token[]>;
  /** The libraries in use and, for one that fails, why. */
  libraries(): Promise<Pkcs11Library[]>;
  /** Certificates on a token (no PIN needed), each with its key id, parsed fields and usable algorithms. */
  certificates(tokenId: string): Promise<TokenCertificate[]>;
  /** The PKCS#11 mechanisms the token lists, by name (CKM_...). */
  mechanisms(tokenId: string): Promise<string[]>;
  /** Sign a hash with a certificate's key. ECDSA signatures are plain r||s, as WebCrypto verifies them. */
  sign(req: TokenSignRequest): Promise<SignatureResult>;
  /** The same, recorded as an authentication (e.g. a challenge's hash). */
  authenticate(req: TokenSignRequest): Promise<SignatureResult>;
}

export interface TokensContext {
  query<R, V extends Record<string, unknown>>(doc: TypedDocumentString<R, V>, vars: V): Promise<R>;
  mutate<R, V extends Record<string, unknown>>(doc: TypedDocumentString<R, V>, vars: V): Promise<R>;
}

const invalid = (message: string) => new ConnectorError('INVALID_INPUT', message);

function nonEmpty(v: unknown, what: string): string {
  if (typeof v !== 'string' || v === '') throw invalid(`${what}: empty`);
  return v;
}

function signInput(req: TokenSignRequest) {
  // keyId and pin are checked by the connector (INVALID_INPUT); the SDK stays small.
  return {
    tokenId: nonEmpty(req.tokenId, 'tokenId'),
    keyId: nonEmpty(req.keyId, 'keyId'),
    algorithm: req.algorithm,
    hash: hashToBase64(req.hash),
    pin: req.pin ?? null,
    allowLastTry: req.allowLastTry === true,
  };
}

export function createTokens(c: TokensContext): Tokens {
  return {
    list: async (library) => (await c.query(TokensDocument, { library: library === undefined ? null : nonEmpty(library, 'library') })).tokens,
    libraries: async () => (await c.query(Pkcs11LibrariesDocument, {})).pkcs11Libraries,
    certificates: async (tokenId) => (await c.query(TokenCertificatesDocument, { id: nonEmpty(tokenId, 'tokenId') })).token.certificates,
    mechanisms: async (tokenId) => (await c.query(TokenMechanismsDocument, { id: nonEmpty(tokenId, 'tokenId') })).token.mechanisms,
    sign: async (req) => (await c.mutate(TokenSignDocument, { input: signInput(req) })).tokenSign,
    authenticate: async (req) => (await c.mutate(TokenAuthenticateDocument, { input: signInput(req) })).tokenAuthenticate,
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
