import forge from 'node-forge';

/**
 * node-forge functions that exist at run time but are missing from @types/node-forge,
 * typed once here so the rest of the code stays strict.
 */
export interface CriAttribute {
  type: string;
  name?: string;
  value: unknown;
  extensions?: { id: string; name?: string; critical: boolean; altNames?: { type: number; value: string; ip?: string }[] }[];
}

interface ForgePkiExtras {
  CRIAttributesAsArray(attributes: forge.asn1.Asn1[]): CriAttribute[];
  RDNAttributesAsArray(rdn: forge.asn1.Asn1): { type: string; shortName?: string; value: unknown }[];
  getTBSCertificate(cert: forge.pki.Certificate): forge.asn1.Asn1;
}

interface ForgeAsn1Extras {
  fromDer(bytes: string, options: { strict?: boolean; decodeBitStrings?: boolean; parseAllBytes?: boolean }): forge.asn1.Asn1;
  validate(obj: forge.asn1.Asn1, validator: Asn1Validator, capture: Record<string, unknown>, errors?: string[]): boolean;
}

export interface Asn1Validator {
  name: string;
  tagClass: number;
  type: number;
  constructed: boolean;
  optional?: boolean;
  capture?: string;
  captureAsn1?: string;
  captureBitStringValue?: string;
  value?: Asn1Validator[];
}

export const pkiExtras = forge.pki as unknown as ForgePkiExtras;
export const asn1Extras = forge.asn1 as unknown as ForgeAsn1Extras;
export { forge };

/** forge works on "binary strings"; Node on Buffers. */
export const toBinary = (b: Uint8Array): string => Buffer.from(b).toString('binary');
export const fromBinary = (s: string): Buffer => Buffer.from(s, 'binary');
