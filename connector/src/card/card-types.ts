/**
 * Values the card layer hands up. They mirror the schema's types of the same names; the
 * GraphQL layer passes them through (structurally identical, checked by the resolvers' types).
 */
export type CardModuleId = 'BEID' | 'PKCS11' | 'UNKNOWN';

export type Algorithm =
  | 'ECDSA_SHA3_256'
  | 'ECDSA_SHA3_384'
  | 'ECDSA_SHA3_512'
  | 'ECDSA_SHA256'
  | 'ECDSA_SHA384'
  | 'ECDSA_SHA512'
  | 'RSA_PKCS1_MD5'
  | 'RSA_PKCS1_SHA1'
  | 'RSA_PKCS1_SHA256'
  | 'RSA_PKCS1_SHA384'
  | 'RSA_PKCS1_SHA512'
  | 'RSA_PSS_SHA1'
  | 'RSA_PSS_SHA256'
  | 'RSA_PSS_SHA384'
  | 'RSA_PSS_SHA512';

export type CertificateInfo = {
  pem: string;
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  publicKeyAlgorithm: string;
};
