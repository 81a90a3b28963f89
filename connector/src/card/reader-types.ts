import type { CardModuleId } from './card-types.js';

/** What the connector knows about a reader at one moment. */
export interface ReaderSnapshot {
  id: string;
  name: string;
  pinpad: boolean;
  card: CardSnapshot | null;
}

export interface CardSnapshot {
  atr: string;
  module: CardModuleId;
  description: string | null;
}

export type ReaderEventType = 'READER_ADDED' | 'READER_REMOVED' | 'CARD_INSERTED' | 'CARD_REMOVED';

export interface ReaderEvent {
  type: ReaderEventType;
  reader: ReaderSnapshot;
  at: string;
}

/** The readers the connector sees, whatever the transport (PC/SC or in-process). */
export interface ReaderSource {
  /** Whether the transport answers (pcscd running). */
  available(): boolean;
  list(): ReaderSnapshot[];
  get(id: string): ReaderSnapshot | undefined;
  /** Subscribe to events; returns the unsubscribe function. */
  subscribe(listener: (e: ReaderEvent) => void): () => void;
  close(): Promise<void>;
}

/** A card connection lent to one task at a time by the reader's exclusive queue. */
export interface CardChannel {
  readonly atr: Buffer;
  /** Increments at every insertion; keys per-card-session caches and state. */
  readonly insertion: number;
  /** Every APDU is bounded in time: CARD_TIMEOUT when the card does not answer. */
  transmit(apdu: Uint8Array): Promise<Buffer>;
  /** Warm reset (SCardReconnect with reset): the card drops its security state. */
  reset(): Promise<void>;
}

export interface CardAccess {
  /**
   * The insertion number of the card now in `readerId` (it changes whenever a card is
   * inserted), for per-card-session caches. Throws READER_NOT_FOUND or NO_CARD.
   */
  insertionOf(readerId: string): number;
  /**
   * Run `task` with exclusive use of the card in `readerId`. Throws READER_NOT_FOUND,
   * NO_CARD, PCSC_UNAVAILABLE, CARD_REMOVED if the card goes away meanwhile, or CARD_TIMEOUT
   * when the card does not answer within the bounds (the queue then moves on).
   */
  withCard<T>(readerId: string, task: (channel: CardChannel) => Promise<T>): Promise<T>;
}
