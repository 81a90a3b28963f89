import type { Logger } from 'pino';
import { CardError } from '../../card-error.js';
import type { Algorithm } from '../../card-types.js';
import { sameHolder, type CardCaller } from '../../card-caller.js';
import type { CardAccess, CardChannel, ReaderSource } from '../../reader-types.js';
import { splitResponse, SW_OK } from '../../apdu.js';
import { readCardFile, cardError, derLength } from './card-file-reader.js';
import { Belpic, BeidFile, KEY_AUTHENTICATION, KEY_NON_REPUDIATION, pinBlock, type BeidFileName } from './belpic-apdus.js';
import { algorithmSpec, algorithmsFor, signatureInput, type KeyFamily } from './algorithms.js';
import { assumedTries, cardKeyOf, type PinMemoryStore } from './pin-memory.js';

const MAX_PIN_TRIES = 3;
const PIN_FORMAT = /^\d{4,12}$/;

/** What the connector remembers about one inserted card, dropped when it is removed. */
interface CardSession {
  readerId: string;
  files: Map<BeidFileName, Promise<Buffer>>;
  cardData?: Promise<Buffer>;
  /** Last retry counter the card reported in this session (applet 1.7 cannot be asked without spending a try). */
  knownTries?: number;
  /** Who the card's security state (a verified PIN) belongs to; null when the card holds none. */
  holder: CardCaller | null;
  /** When the holder's PIN was verified (for the reuse window). */
  verifiedAt: number;
  /** Resets the card when the verified state has not been used for the idle time. */
  idleTimer?: NodeJS.Timeout;
}

export type SigningKey = 'AUTHENTICATION' | 'NON_REPUDIATION';

export interface SignRequest {
  key: SigningKey;
  algorithm: Algorithm;
  hash: Buffer;
  pin: string | null | undefined;
  allowLastTry: boolean;
}

export interface BeidOptions {
  /** Reset the card's security state after this long without a PIN operation (ms; 0: never). */
  idleResetMs: number;
  /** Tries left per card across restarts; none: remembered for this run only. */
  pinMemory?: PinMemoryStore;
  log?: Logger;
  now?: () => number;
}

export const DEFAULT_IDLE_RESET_MS = 120_000;

export function validatePin(pin: string, field = 'pin'): void {
  if (!PIN_FORMAT.test(pin)) throw new CardError('INVALID_INPUT', `${field} must be 4 to 12 digits.`);
}

const pinRequired = () => new CardError('PIN_REQUIRED', 'This operation needs the PIN.');

/**
 * The Belgian eID card module: reads public files (cached per card session, so a second
 * read costs no APDU), verifies and changes the PIN, signs with either key. Every card
 * exchange runs inside the reader's exclusive queue.
 *
 * The card's security state belongs to the caller (application + tab) that verified the
 * PIN: before a PIN operation for anyone else the card is reset (warm reset), and so it is
 * after `idleResetMs` without a PIN operation. `authenticate` without a PIN only reuses the
 * holder's own verification, within its application's reuse window.
 */
export class BeidService {
  private readonly sessions = new Map<number, CardSession>();
  private readonly now: () => number;

  constructor(
    private readonly cards: CardAccess & ReaderSource,
    private readonly opts: BeidOptions = { idleResetMs: DEFAULT_IDLE_RESET_MS },
  ) {
    this.now = opts.now ?? Date.now;
    cards.subscribe((e) => {
      if (e.type === 'CARD_REMOVED' || e.type === 'READER_REMOVED' || e.type === 'CARD_INSERTED') this.prune();
    });
  }

  /** Raw content of a public file; cached for the card session. */
  file(readerId: string, name: BeidFileName): Promise<Buffer> {
    const { insertion, session } = this.session(readerId);
    let p = session.files.get(name);
    if (!p) {
      const lengthOf = name.endsWith('Cert') ? derLength : undefined;
      p = this.run(readerId, insertion, (ch) => readCardFile(ch, BeidFile[name], lengthOf));
      session.files.set(name, p);
      p.catch(() => session.files.delete(name));
    }
    return p;
  }

  async appletVersion(readerId: string): Promise<string> {
    const data = await this.cardData(readerId);
    const v = data[21] ?? 0;
    return `${v >> 4}.${v & 0x0f}`;
  }

  async keyFamily(readerId: string): Promise<KeyFamily> {
    const data = await this.cardData(readerId);
    return (data[21] ?? 0) >= 0x18 ? 'EC' : 'RSA';
  }

  async algorithms(readerId: string): Promise<Algorithm[]> {
    return algorithmsFor(await this.keyFamily(readerId));
  }

  /** PIN tries left without spending one, where the card can tell (applet 1.8). */
  async pinTriesLeft(readerId: string): Promise<number | null> {
    if ((await this.keyFamily(readerId)) !== 'EC') return null;
    const { insertion } = this.session(readerId);
    return this.run(readerId, insertion, (ch) => this.askTries(ch));
  }

  async verifyPin(readerId: string, caller: CardCaller, pin: string, allowLastTry: boolean): Promise<number> {
    validatePin(pin);
    const { family, cardKey } = await this.cardFacts(readerId);
    const { insertion, session } = this.session(readerId);
    return this.run(readerId, insertion, async (ch) => {
      await this.claim(ch, session, caller);
      return this.verifyOnCard(ch, session, family, cardKey, caller, pin, allowLastTry);
    });
  }

  async changePin(readerId: string, caller: CardCaller, oldPin: string, newPin: string, allowLastTry: boolean): Promise<number> {
    validatePin(oldPin, 'oldPin');
    validatePin(newPin, 'newPin');
    const { family, cardKey } = await this.cardFacts(readerId);
    const { insertion, session } = this.session(readerId);
    return this.run(readerId, insertion, async (ch) => {
      await this.claim(ch, session, caller);
      await this.guardLastTry(ch, session, family, cardKey, allowLastTry);
      const r = splitResponse(await ch.transmit(Belpic.changePin(pinBlock(oldPin), pinBlock(newPin))));
      return this.pinOutcome(session, cardKey, caller, r.sw);
    });
  }

  /** Sign `hash` on the card; returns the raw signature. */
  async sign(readerId: string, caller: CardCaller, req: SignRequest): Promise<Buffer> {
    const { family, cardKey } = await this.cardFacts(readerId);
    const spec = algorithmSpec(family, req.algorithm);
    if (!spec) throw new CardError('ALGORITHM_NOT_SUPPORTED', `This card does not support ${req.algorithm}.`, { supported: algorithmsFor(family) });
    if (req.hash.length !== spec.hashLength) {
      throw new CardError('INVALID_INPUT', `${req.algorithm} needs a ${spec.hashLength}-byte hash, got ${req.hash.length} bytes.`);
    }
    if (req.pin != null) validatePin(req.pin);
    // The non-repudiation key needs VERIFY right before each signature.
    if (req.key === 'NON_REPUDIATION' && req.pin == null) throw new CardError('PIN_REQUIRED', 'A signature needs the PIN.');
    const keyRef = req.key === 'NON_REPUDIATION' ? KEY_NON_REPUDIATION : KEY_AUTHENTICATION;
    const { insertion, session } = this.session(readerId);
    // Without a PIN, only the holder's own verification within its reuse window will do;
    // refused before the card is touched.
    if (req.pin == null && !this.mayReuse(session, caller)) throw pinRequired();
    return this.run(readerId, insertion, async (ch) => {
      if (req.pin != null) {
        await this.claim(ch, session, caller);
        await this.verifyOnCard(ch, session, family, cardKey, caller, req.pin, req.allowLastTry);
      } else if (!this.mayReuse(session, caller)) {
        throw pinRequired();
      }
      const mse = splitResponse(await ch.transmit(Belpic.mseSet(spec.ref, keyRef)));
      if (mse.sw === 0x6a80 || mse.sw === 0x6a86 || mse.sw === 0x6a88) {
        throw new CardError('ALGORITHM_NOT_SUPPORTED', `The card refused ${req.algorithm}.`);
      }
      if (mse.sw !== SW_OK) throw cardError('to set up the signature', mse.sw);
      const r = splitResponse(await ch.transmit(Belpic.computeSignature(signatureInput(spec, req.hash))));
      if (r.sw === 0x6982) {
        session.holder = null;
        throw new CardError('PIN_REQUIRED', 'The card needs the PIN for this key.');
      }
      if (r.sw !== SW_OK) throw cardError('to sign', r.sw);
      this.touch(session);
      return Buffer.from(r.data);
    });
  }

  // --- card security state ---------------------------------------------------------------

  private mayReuse(session: CardSession, caller: CardCaller): boolean {
    return sameHolder(session.holder, caller) && caller.pinReuseMs > 0 && this.now() - session.verifiedAt <= caller.pinReuseMs;
  }

  /**
   * Before a PIN operation: a verified state that belongs to someone else is wiped by a warm
   * reset (it costs no APDU: the files are selected by absolute path, and cached data stays
   * valid for the same card).
   */
  private async claim(ch: CardChannel, session: CardSession, caller: CardCaller): Promise<void> {
    if (session.holder === null || sameHolder(session.holder, caller)) return;
    await this.resetSecurity(ch, session, 'another application or tab');
  }

  private async resetSecurity(ch: CardChannel, session: CardSession, reason: string): Promise<void> {
    const started = process.hrtime.bigint();
    session.holder = null;
    clearTimeout(session.idleTimer);
    await ch.reset();
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    this.opts.log?.info({ reader: session.readerId, reason, ms: Math.round(ms * 100) / 100 }, 'card security state reset');
  }

  /** The holder used its verified state: restart the idle countdown. */
  private touch(session: CardSession): void {
    clearTimeout(session.idleTimer);
    if (!session.holder || this.opts.idleResetMs <= 0) return;
    const holder = session.holder;
    session.idleTimer = setTimeout(() => {
      if (session.holder !== holder) return;
      let insertion: number;
      try {
        insertion = this.cards.insertionOf(session.readerId);
      } catch {
        return; // the card left: its state went with it
      }
      // Through a promise chain: withCard may throw at once (pcscd gone), never from a timer.
      Promise.resolve()
        .then(() => this.run(session.readerId, insertion, async (ch) => {
          if (session.holder === holder) await this.resetSecurity(ch, session, 'idle');
        }))
        .catch((e: unknown) => this.opts.log?.warn({ reader: session.readerId, err: (e as Error).message }, 'idle reset failed'));
    }, this.opts.idleResetMs);
    session.idleTimer.unref();
  }

  // --- internals -------------------------------------------------------------------------

  private session(readerId: string): { insertion: number; session: CardSession } {
    const insertion = this.cards.insertionOf(readerId);
    const card = this.cards.get(readerId)?.card;
    if (card && card.module !== 'BEID') throw new CardError('CARD_NOT_SUPPORTED', 'The card in this reader is not a Belgian eID card.');
    let session = this.sessions.get(insertion);
    if (!session) {
      session = { readerId, files: new Map(), holder: null, verifiedAt: 0 };
      this.sessions.set(insertion, session);
    }
    return { insertion, session };
  }

  /** Run a card task, refusing it if another card was inserted since the session was looked up. */
  private run<T>(readerId: string, insertion: number, task: (ch: CardChannel) => Promise<T>): Promise<T> {
    return this.cards.withCard(readerId, (ch) => {
      if (ch.insertion !== insertion) throw new CardError('CARD_REMOVED', 'The card was removed during the operation.');
      return task(ch);
    });
  }

  private cardData(readerId: string): Promise<Buffer> {
    const { insertion, session } = this.session(readerId);
    if (!session.cardData) {
      session.cardData = this.run(readerId, insertion, async (ch) => {
        const r = splitResponse(await ch.transmit(Belpic.getCardData()));
        if (r.sw !== SW_OK || r.data.length < 28) throw cardError('GET CARD DATA', r.sw);
        return Buffer.from(r.data);
      });
      session.cardData.catch(() => (session.cardData = undefined));
    }
    return session.cardData;
  }

  /** Key family and the card's memory key (SHA-256 of the chip serial, bytes 0-15 of the card data). */
  private async cardFacts(readerId: string): Promise<{ family: KeyFamily; cardKey: string }> {
    const data = await this.cardData(readerId);
    return { family: (data[21] ?? 0) >= 0x18 ? 'EC' : 'RSA', cardKey: cardKeyOf(data.subarray(0, 16)) };
  }

  private async askTries(ch: CardChannel): Promise<number> {
    const r = splitResponse(await ch.transmit(Belpic.pinStatus()));
    if ((r.sw & 0xfff0) === 0x63c0) return r.sw & 0x0f;
    if (r.sw === 0x6983) return 0;
    if (r.sw === SW_OK) return MAX_PIN_TRIES;
    throw cardError('to report the PIN status', r.sw);
  }

  /** Refuse to spend the last try unless asked; a blocked PIN is reported without trying. */
  private async guardLastTry(ch: CardChannel, session: CardSession, family: KeyFamily, cardKey: string, allowLastTry: boolean): Promise<void> {
    let tries: number | undefined;
    if (family === 'EC') {
      tries = await this.askTries(ch);
      session.knownTries = tries;
      this.remember(cardKey, tries);
    } else {
      tries = assumedTries(session.knownTries, this.opts.pinMemory?.get(cardKey), MAX_PIN_TRIES);
    }
    if (tries === 0) throw new CardError('PIN_BLOCKED', 'The PIN is blocked.', { retriesLeft: 0 });
    if (tries === 1 && !allowLastTry) {
      const known = session.knownTries !== undefined || family === 'EC';
      throw new CardError(
        'PIN_LAST_TRY_REFUSED',
        known
          ? 'Only one PIN try is left; set allowLastTry to use it.'
          : 'A wrong PIN was entered on this card before and the card cannot tell how many tries are left; set allowLastTry to try.',
        { retriesLeft: 1 },
      );
    }
  }

  private async verifyOnCard(
    ch: CardChannel, session: CardSession, family: KeyFamily, cardKey: string, caller: CardCaller, pin: string, allowLastTry: boolean,
  ): Promise<number> {
    await this.guardLastTry(ch, session, family, cardKey, allowLastTry);
    const r = splitResponse(await ch.transmit(Belpic.verifyPin(pinBlock(pin))));
    return this.pinOutcome(session, cardKey, caller, r.sw);
  }

  private remember(cardKey: string, triesLeft: number): void {
    try {
      this.opts.pinMemory?.set(cardKey, { triesLeft });
    } catch (e) {
      this.opts.log?.warn({ err: (e as Error).message }, 'could not remember the PIN counter');
    }
  }

  private pinOutcome(session: CardSession, cardKey: string, caller: CardCaller, sw: number): number {
    if (sw === SW_OK) {
      session.knownTries = MAX_PIN_TRIES;
      this.remember(cardKey, MAX_PIN_TRIES);
      session.holder = caller;
      session.verifiedAt = this.now();
      this.touch(session);
      return MAX_PIN_TRIES;
    }
    // A wrong PIN changes nothing about who may hold a verified state (the holder, if any,
    // is the caller itself: anyone else's state was reset before this VERIFY).
    if ((sw & 0xfff0) === 0x63c0) {
      const left = sw & 0x0f;
      session.knownTries = left;
      this.remember(cardKey, left);
      if (left === 0) throw new CardError('PIN_BLOCKED', 'The PIN is blocked.', { retriesLeft: 0 });
      throw new CardError('PIN_INCORRECT', `Wrong PIN; ${left} ${left === 1 ? 'try' : 'tries'} left.`, { retriesLeft: left });
    }
    if (sw === 0x6983) {
      session.knownTries = 0;
      this.remember(cardKey, 0);
      throw new CardError('PIN_BLOCKED', 'The PIN is blocked.', { retriesLeft: 0 });
    }
    throw cardError('the PIN operation', sw);
  }

  private prune(): void {
    const live = new Set<number>();
    for (const r of this.cards.list()) {
      if (!r.card) continue;
      try {
        live.add(this.cards.insertionOf(r.id));
      } catch {
        // gone meanwhile
      }
    }
    for (const [k, s] of this.sessions) {
      if (live.has(k)) continue;
      clearTimeout(s.idleTimer);
      this.sessions.delete(k);
    }
  }
}
