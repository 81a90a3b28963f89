import type { ReaderSnapshot } from '../card/reader-types.js';
import type { TokenCertificate } from '../card/modules/pkcs11/pkcs11-service.js';

/** Parent values the resolvers pass down; the schema's object fields resolve from these. */
export type ReaderParent = ReaderSnapshot;

export interface BeidParent {
  readerId: string;
}

export type { Pkcs11Token as TokenParent, Pkcs11LibraryStatus as Pkcs11LibraryParent } from '../card/modules/pkcs11/pkcs11-service.js';

export interface TokenCertificateParent {
  tokenId: string;
  cert: TokenCertificate;
}
