/** Applet profiles the virtual card can play. */
export type Profile = '1.7' | '1.8';

export const PROFILES: readonly Profile[] = ['1.7', '1.8'];

export function isProfile(value: unknown): value is Profile {
  return value === '1.7' || value === '1.8';
}

/** Card language: decides the month names in the birth date and the place names. */
export type CardLanguage = 'fr' | 'nl' | 'de';

/** The fictitious citizen printed on the card. All strings are UTF-8 on the card. */
export interface Citizen {
  surname: string;
  /** First two given names. */
  firstNames: string;
  /** First letter of the third given name ('' when none). */
  thirdNameInitial: string;
  nationality: string;
  birthPlace: string;
  /** ISO date YYYY-MM-DD. */
  birthDate: string;
  /** 'M' or 'F' (the card writes F/V/W by language). */
  sex: 'M' | 'F';
  /** 11 digits, valid modulo-97 checksum. */
  nationalNumber: string;
  nobleCondition: string;
  documentType: string;
  specialStatus: string;
  address: {
    streetAndNumber: string;
    zip: string;
    municipality: string;
  };
}

/** Card (document) facts. */
export interface CardFacts {
  /** 12 digits, last two are the modulo-97 check of the first ten. */
  cardNumber: string;
  /** 16-byte chip serial, hex (identity tag 02, GET CARD DATA, TokenInfo). */
  chipSerialHex: string;
  /** DD.MM.YYYY */
  validityBegin: string;
  /** DD.MM.YYYY */
  validityEnd: string;
  deliveringMunicipality: string;
  language: CardLanguage;
}

/** Names of the key pairs held in the material directory. */
export type KeyName = 'root' | 'citizenCa' | 'auth' | 'nonRepudiation' | 'rrn' | 'basic';

/** Names of the certificates held in the material directory. */
export type CertName = 'root' | 'citizenCa' | 'auth' | 'nonRepudiation' | 'rrn';

/** Contents of material.json. Immutable once generated. */
export interface MaterialManifest {
  formatVersion: 1;
  profile: Profile;
  createdAt: string;
  citizen: Citizen;
  card: CardFacts;
  /** The PIN the card was issued with (test material, never a real secret). */
  initialPin: string;
  /** How the RRN signatures in 4032/4034 are made; see README. */
  rrnSignature: RrnSignatureFormat;
}

/** Mutable card state stored beside the material (PIN and its retry counter). */
export interface PinState {
  pin: string;
  triesLeft: number;
}

export const PIN_MAX_TRIES = 3;

/**
 * How the national register (RRN) signs the identity and address files.
 * - rsa-pkcs1-sha1: RSASSA-PKCS1-v1_5 with SHA-1 (applet 1.7 cards).
 * - ecdsa-sha384-der: ECDSA P-384 over SHA-384, DER `SEQUENCE { r, s }` (applet 1.8 cards).
 */
export type RrnSignatureFormat = 'rsa-pkcs1-sha1' | 'ecdsa-sha384-der';

export function rrnSignatureFormatOf(profile: Profile): RrnSignatureFormat {
  return profile === '1.7' ? 'rsa-pkcs1-sha1' : 'ecdsa-sha384-der';
}
