/**
 * The card layer's error codes. The GraphQL layer maps each one to its schema ErrorCode of
 * the same name (the API layer checks at compile time that every code has one).
 */
export type CardErrorCode =
  | 'INVALID_INPUT'
  | 'PCSC_UNAVAILABLE'
  | 'READER_NOT_FOUND'
  | 'NO_CARD'
  | 'CARD_REMOVED'
  | 'CARD_NOT_SUPPORTED'
  | 'CARD_ERROR'
  | 'CARD_TIMEOUT'
  | 'PIN_INCORRECT'
  | 'PIN_BLOCKED'
  | 'PIN_LAST_TRY_REFUSED'
  | 'PIN_REQUIRED'
  | 'ALGORITHM_NOT_SUPPORTED'
  | 'PKCS11_LIBRARY_ERROR'
  | 'PKCS11_TIMEOUT'
  | 'TOKEN_NOT_FOUND'
  | 'TOKEN_NOT_PRESENT'
  | 'KEY_NOT_FOUND';

/**
 * An expected card outcome (no card, wrong PIN, a card that does not answer) as a value with
 * a code and details (never personal data). Stackless: an expected outcome is told by its
 * code, and capturing a stack costs more than the rest of such a request.
 */
export class CardError extends Error {
  readonly code: CardErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: CardErrorCode, message: string, details: Readonly<Record<string, unknown>> = {}) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(message);
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.code = code;
    this.details = details;
    this.name = 'CardError';
  }
}

export const isCardError = (e: unknown): e is CardError => e instanceof CardError;

export const cardRemoved = () => new CardError('CARD_REMOVED', 'The card was removed during the operation.');
export const noCard = () => new CardError('NO_CARD', 'The reader holds no card.');
export const readerNotFound = () => new CardError('READER_NOT_FOUND', 'No reader with this id.');
