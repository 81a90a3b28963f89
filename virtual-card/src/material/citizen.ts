import type { CardLanguage, Citizen } from './types.js';

const MONTHS: Record<CardLanguage, readonly string[]> = {
  fr: ['JAN', 'FEV', 'MARS', 'AVR', 'MAI', 'JUIN', 'JUIL', 'AOUT', 'SEPT', 'OCT', 'NOV', 'DEC'],
  nl: ['JAN', 'FEB', 'MAAR', 'APR', 'MEI', 'JUN', 'JUL', 'AUG', 'SEP', 'OKT', 'NOV', 'DEC'],
  de: ['JAN', 'FEB', 'MÄR', 'APR', 'MAI', 'JUN', 'JUL', 'AUG', 'SEP', 'OKT', 'NOV', 'DEZ'],
};

/**
 * Birth date as printed in identity tag 0C: `DD MMM YYYY` with the month in the card
 * language; German cards use `DD.MMM.YYYY`.
 */
export function formatBirthDate(isoDate: string, language: CardLanguage): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m) throw new Error(`birth date must be YYYY-MM-DD, got ${isoDate}`);
  const [, y, mo, d] = m;
  const month = MONTHS[language][Number(mo) - 1];
  if (!month) throw new Error(`bad month in ${isoDate}`);
  return language === 'de' ? `${d}.${month}.${y}` : `${d} ${month} ${y}`;
}

/** DD.MM.YYYY as in identity tags 03/04. */
export function formatCardDate(date: Date): string {
  const dd = String(date.getUTCDate()).padStart(2, '0');
  const mm = String(date.getUTCMonth() + 1).padStart(2, '0');
  return `${dd}.${mm}.${date.getUTCFullYear()}`;
}

/**
 * Belgian national number: YYMMDD + 3-digit sequence (odd for men, even for women) + a
 * 2-digit check = 97 - (number mod 97); for births from 2000 on, the check is computed
 * over "2" followed by the 9 digits.
 */
export function nationalNumberFor(isoBirthDate: string, sequence: number): string {
  const m = /^(\d{2})(\d{2})-(\d{2})-(\d{2})$/.exec(isoBirthDate);
  if (!m) throw new Error(`birth date must be YYYY-MM-DD, got ${isoBirthDate}`);
  const [, century, yy, mo, d] = m;
  if (sequence < 1 || sequence > 998) throw new RangeError('sequence must be 1..998');
  const base = `${yy}${mo}${d}${String(sequence).padStart(3, '0')}`;
  const n = BigInt(century === '20' ? `2${base}` : base);
  const check = 97n - (n % 97n);
  return base + String(check).padStart(2, '0');
}

export function isValidNationalNumber(nn: string): boolean {
  if (!/^\d{11}$/.test(nn)) return false;
  const base = nn.slice(0, 9);
  const check = BigInt(nn.slice(9));
  return 97n - (BigInt(base) % 97n) === check || 97n - (BigInt(`2${base}`) % 97n) === check;
}

/** 12-digit card number: 10 digits + (those mod 97, 97 when 0). */
export function cardNumberFor(tenDigits: string): string {
  if (!/^\d{10}$/.test(tenDigits)) throw new Error('card number base must be 10 digits');
  let check = Number(BigInt(tenDigits) % 97n);
  if (check === 0) check = 97;
  return tenDigits + String(check).padStart(2, '0');
}

export function isValidCardNumber(cardNumber: string): boolean {
  return /^\d{12}$/.test(cardNumber) && cardNumberFor(cardNumber.slice(0, 10)) === cardNumber;
}

const PLACES: Record<CardLanguage, { city: string; street: string; nationality: string }> = {
  fr: { city: 'Bruxelles', street: 'Rue du Spécimen 42', nationality: 'Belge' },
  nl: { city: 'Brussel', street: 'Specimenstraat 42', nationality: 'Belg' },
  de: { city: 'Brüssel', street: 'Specimenstraße 42', nationality: 'Belgier' },
};

/** The clearly fictitious default test citizen. */
export function defaultCitizen(language: CardLanguage): Citizen {
  const place = PLACES[language];
  const birthDate = '1985-05-15';
  return {
    surname: 'Specimen',
    firstNames: 'Alice Test',
    thirdNameInitial: 'V',
    nationality: place.nationality,
    birthPlace: place.city,
    birthDate,
    sex: 'F',
    // Sequence 998 is even (a woman) and is not handed out in practice.
    nationalNumber: nationalNumberFor(birthDate, 998),
    nobleCondition: '',
    documentType: '1',
    specialStatus: '0',
    address: { streetAndNumber: place.street, zip: '1000', municipality: place.city },
  };
}

export function defaultMunicipality(language: CardLanguage): string {
  return PLACES[language].city;
}

/** Letter for the sex field by card language (F in French, V in Dutch, W in German). */
export function sexLetter(sex: 'M' | 'F', language: CardLanguage): string {
  if (sex === 'M') return 'M';
  return language === 'nl' ? 'V' : language === 'de' ? 'W' : 'F';
}
