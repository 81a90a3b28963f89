import type { CardModuleId } from '../card-types.js';
import type { Logger } from 'pino';
import type { CardAccess, ReaderSource } from '../reader-types.js';

/** The small persistent key/value store a module may keep state in (the connector's SQLite state). */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): void;
}

/** What the connector gives a module when it opens it. */
export interface ModuleEnvironment {
  /** Reset a card's security state after this long without a PIN operation (ms; 0: never). */
  idleResetMs: number;
  /** Persistent per-card state (no personal data), e.g. the PIN counter as last seen. */
  state?: KeyValueStore;
  log?: Logger;
}

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
  open(cards: CardAccess & ReaderSource, env: ModuleEnvironment): Operations;
}
