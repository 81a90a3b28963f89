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

/** The connector's card modules. */
export type ModuleName = 'BEID' | 'PKCS11';

/** A module that claims cards by ATR: its name is what a reader reports as its card's module. */
export type AtrModule<Operations = unknown> = CardModule<Operations, Exclude<CardModuleId, 'UNKNOWN'>>;

/**
 * A family of cards the connector can drive: which ATRs it recognises, and its operations
 * over the readers (BeID by ATR; PKCS#11 tokens through their libraries' slots).
 */
export interface CardModule<Operations = unknown, Name extends ModuleName = ModuleName> {
  readonly id: Name;
  readonly atrRules: readonly AtrRule[];
  open(cards: CardAccess & ReaderSource, env: ModuleEnvironment): Operations;
}
