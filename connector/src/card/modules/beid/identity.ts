import { parseTlv } from './tlv.js';
import { parseBirthDate, parseNumericDate } from './dates.js';
import { CardError } from '../../card-error.js';
import type { Address, DocumentType, Identity, Sex, SpecialStatus } from './beid-types.js';

const malformed = (what: string) => new CardError('CARD_ERROR', `The card's ${what} is malformed.`);

const text = (b: Buffer | undefined) => (b ? b.toString('utf8').replace(/\0+$/, '').trim() : '');
const optional = (b: Buffer | undefined) => (b && b.length > 0 ? text(b) || null : null);

function documentType(code: string): DocumentType {
  const n = Number(code);
  if (n === 1) return 'BELGIAN_CITIZEN';
  if (n === 6) return 'KIDS_CARD';
  if ((n >= 11 && n <= 36) || (n >= 61 && n <= 69)) return 'FOREIGNER';
  return 'OTHER';
}

/** Tag 10: 0 none, 1 white cane, 2 extended minority, 3 both, 4 yellow cane, 5 yellow cane + minority. */
function specialStatus(code: string): SpecialStatus[] {
  switch (Number(code)) {
    case 1: return ['WHITE_CANE'];
    case 2: return ['EXTENDED_MINORITY'];
    case 3: return ['WHITE_CANE', 'EXTENDED_MINORITY'];
    case 4: return ['YELLOW_CANE'];
    case 5: return ['YELLOW_CANE', 'EXTENDED_MINORITY'];
    default: return [];
  }
}

function sex(v: string): Sex {
  if (v === 'M') return 'MALE';
  if (v === 'F' || v === 'V' || v === 'W') return 'FEMALE';
  throw malformed('identity file (sex)');
}

/** The identity file (3F00/DF01/4031) into typed fields. */
export function parseIdentity(file: Buffer): Identity {
  let t: Map<number, Buffer>;
  try {
    t = parseTlv(file);
  } catch {
    throw malformed('identity file');
  }
  const validityBegin = parseNumericDate(text(t.get(0x03)));
  const validityEnd = parseNumericDate(text(t.get(0x04)));
  const birthDate = parseBirthDate(text(t.get(0x0c)));
  if (!validityBegin || !validityEnd || !birthDate || !t.get(0x06) || !t.get(0x11)) throw malformed('identity file');
  const docCode = text(t.get(0x0f));
  return {
    cardNumber: text(t.get(0x01)),
    chipNumber: (t.get(0x02) ?? Buffer.alloc(0)).toString('hex').toUpperCase(),
    validityBegin,
    validityEnd,
    issuingMunicipality: text(t.get(0x05)),
    nationalNumber: text(t.get(0x06)),
    surname: text(t.get(0x07)),
    firstNames: text(t.get(0x08)),
    thirdNameInitial: optional(t.get(0x09)),
    nationality: text(t.get(0x0a)),
    birthPlace: text(t.get(0x0b)),
    birthDate,
    sex: sex(text(t.get(0x0d))),
    nobleCondition: optional(t.get(0x0e)),
    documentTypeCode: docCode,
    documentType: documentType(docCode),
    specialStatus: specialStatus(text(t.get(0x10))),
    photoHash: t.get(0x11)!.toString('hex'),
    duplicate: optional(t.get(0x12)),
    specialOrganisation: optional(t.get(0x13)),
    memberOfFamily: !!optional(t.get(0x14)),
  };
}

/** Raw photo hash from the identity file (tag 11), for the integrity check; undefined if unreadable. */
export function photoHashOf(file: Buffer): Buffer | undefined {
  try {
    return parseTlv(file).get(0x11);
  } catch {
    return undefined;
  }
}

/** The address file (3F00/DF01/4033, zero padded). */
export function parseAddress(file: Buffer): Address {
  let t: Map<number, Buffer>;
  try {
    t = parseTlv(file);
  } catch {
    throw malformed('address file');
  }
  if (!t.get(0x01) || !t.get(0x02)) throw malformed('address file');
  return { streetAndNumber: text(t.get(0x01)), zipCode: text(t.get(0x02)), municipality: text(t.get(0x03)) };
}
