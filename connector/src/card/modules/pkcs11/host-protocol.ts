/**
 * Messages between the connector and its PKCS#11 host processes (one per library). Values
 * cross the IPC channel as JSON: slot ids as decimal strings, bytes as base64.
 */
import type { CardErrorCode } from '../../card-error.js';

export interface HostSlot {
  slotId: string;
  slotDescription: string;
  slotManufacturer: string;
  tokenPresent: boolean;
  label: string;
  manufacturer: string;
  model: string;
  serialNumber: string;
  /** CKF_* token flags, as reported. */
  flags: number;
}

export interface HostLibraryInfo {
  description: string;
  manufacturer: string;
  version: string;
  cryptokiVersion: string;
}

export interface HostCertificate {
  /** CKA_ID, hex; '' when the certificate object has none. */
  keyId: string;
  label: string;
  /** DER, base64. */
  der: string;
}

/** How the host runs one signature mechanism (built by mechanisms.ts). */
export interface HostMechanism {
  mechanism: number;
  pss?: { hashAlg: number; mgf: number; saltLen: number };
}

export type HostCall =
  | { op: 'info' }
  | { op: 'slots' }
  | { op: 'certificates'; slotId: string }
  | { op: 'mechanisms'; slotId: string }
  | {
      op: 'sign';
      slotId: string;
      keyId: string;
      mechanism: HostMechanism;
      /** The key type the mechanism needs; another key is refused before anything is signed. */
      keyType: 'RSA' | 'EC';
      /** The bytes the mechanism signs, base64 (a hash, or a DigestInfo for CKM_RSA_PKCS). */
      data: string;
      /** Never logged; null with a protected authentication path (PIN pad) or a key that needs none. */
      pin: string | null;
      allowLastTry: boolean;
    };

export interface HostSignResult {
  signature: string;
  /** The certificate with the key's CKA_ID, DER base64, if the token holds one. */
  certificate: string | null;
}

export type HostRequest = HostCall & { id: number };

export interface HostFailure {
  code: CardErrorCode;
  message: string;
  details: Record<string, unknown>;
}

export type HostReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: HostFailure };

/** The host's first message, once it can take calls. */
export interface HostReady {
  ready: true;
}
