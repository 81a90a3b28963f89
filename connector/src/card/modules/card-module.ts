import type { CardModuleId } from '../card-types.js';
import type { CardAccess, ReaderSource } from '../reader-types.js';

/** One ATR (upper-case hex) a module handles; `mask` ANDs both sides byte by byte. */
export interface AtrRule {
  atr: string;
  mask?: string;
  description: string;
}

/**
 * A family of cards the connector can drive: which ATRs it recognises, and its operations
 * over the readers (the BeID module today; a PKCS#11 module later).
 */
export interface CardModule<Operations = unknown> {
  readonly id: Exclude<CardModuleId, 'UNKNOWN'>;
  readonly atrRules: readonly AtrRule[];
  open(cards: CardAccess & ReaderSource): Operations;
}
