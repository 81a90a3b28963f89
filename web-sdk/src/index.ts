/**
 * @cardlink/web-sdk: a small typed client for the local Cardlink connector's GraphQL API.
 *
 *   const connector = createConnector({ tag: 'checkout' });
 *   const [reader] = await connector.readers();
 *   const { identity, photo } = await connector.beid(reader.id).read({ identity: true, photo: true });
 *   await connector.files.download('invoices', fileFromAnInput);
 */
export { createConnector, DEFAULT_URL } from './connector.js';
export type {
  AuthenticateRequest,
  BeidCard,
  Connector,
  ConnectorOptions,
  PinOptions,
  SignRequest,
  TransactionsRange,
} from './connector.js';
export type { DownloadOptions, Files, Printing, PrintRequest, SubfolderOption } from './files.js';
export type { Pkcs11Library, Token, TokenCertificate, Tokens, TokenSignRequest } from './tokens.js';
export { ConnectorError, isConnectorError } from './errors.js';
export type { ClientErrorCode, ConnectorErrorCode, ErrorCode } from './errors.js';
export type * from './types.js';
