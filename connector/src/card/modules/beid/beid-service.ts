import { CardError } from '../../card-error.js';
import type { Algorithm } from '../../card-types.js';
import type { CardAccess, CardChannel, ReaderSource } from '../../reader-types.js';
import { splitResponse, SW_OK } from '../../apdu.js';
import { readCardFile, cardError, derLength } from './card-file-reader.js';
import { Belpic, BeidFile, KEY_AUTHENTICATION, KEY_NON_REPUDIATION, pinBlock, type BeidFileName } from './belpic-apdus.js';
import { algorithmSpec, algorithmsFor, signatureInput, type KeyFamily } from './algorithms.js';

const MAX_PIN_TRIES = 3;
const PIN_FORMAT = /^\d{4,12}$/;

/** What the connector remembers about one inserted card, dropped when it is removed. */
interface CardSession {
  files: Map<BeidFileName, Promise<Buffer>>;
  cardData?: Promise<Buffer>;
  /** Last retry counter the card reported (applet 1.7 cannot be asked without spending a try). */
  knownTries?: number;
}

export type SigningKey = 'AUTHENTICATION' | 'NON_REPUDIATION';

export interface SignRequest {
  key: SigningKey;
  algorithm: Algorithm;
  hash: Buffer;
  pin: string | null | undefined;
  allowLastTry: boolean;
}

export function validatePin(pin: string, field = 'pin'): void {
  if (!PIN_FORMAT.test(pin)) throw new CardError('INVALID_INPUT', `${field} must be 4 to 12 digits.`);
}

/**
 * The Belgian eID card module: reads public files (cached per card session, so a second
 * read costs no APDU), verifies and changes the PIN, signs with either key. Every card
 * exchange runs inside the reader's exclusive queue.
 */
export class BeidService {
  private readonly sessions = new Map<number, CardSession>();

  constructor(private readonly cards: CardAccess & ReaderSource) {
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

  async verifyPin(readerId: string, pin: string, allowLastTry: boolean): Promise<number> {
    validatePin(pin);
    const family = await this.keyFamily(readerId);
    const { insertion, session } = this.session(readerId);
    return this.run(readerId, insertion, (ch) => this.verifyOnCard(ch, session, family, pin, allowLastTry));
  }

  async changePin(readerId: string, oldPin: string, newPin: string, allowLastTry: boolean): Promise<number> {
    validatePin(oldPin, 'oldPin');
    validatePin(newPin, 'newPin');
    const family = await this.keyFamily(readerId);
    const { insertion, session } = this.session(readerId);
    return this.run(readerId, insertion, async (ch) => {
      await this.guardLastTry(ch, session, family, allowLastTry);
      const r = splitResponse(await ch.transmit(Belpic.changePin(pinBlock(oldPin), pinBlock(newPin))));
      return this.pinOutcome(session, r.sw);
    });
  }

  /** Sign `hash` on the card; returns the raw signature. */
  async sign(readerId: string, req: SignRequest): Promise<Buffer> {
    const family = await this.keyFamily(readerId);
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
    return this.run(readerId, insertion, async (ch) => {
      if (req.pin != null) await this.verifyOnCard(ch, session, family, req.pin, req.allowLastTry);
      const mse = splitResponse(await ch.transmit(Belpic.mseSet(spec.ref, keyRef)));
      if (mse.sw === 0x6a80 || mse.sw === 0x6a86 || mse.sw === 0x6a88) {
        throw new CardError('ALGORITHM_NOT_SUPPORTED', `The card refused ${req.algorithm}.`);
      }
      if (mse.sw !== SW_OK) throw cardError('to set up the signature', mse.sw);
      const r = splitResponse(await ch.transmit(Belpic.computeSignature(signatureInput(spec, req.hash))));
      if (r.sw === 0x6982) throw new CardError('PIN_REQUIRED', 'The card needs the PIN for this key.');
      if (r.sw !== SW_OK) throw cardError('to sign', r.sw);
      return Buffer.from(r.data);
    });
  }

  // --- internals -------------------------------------------------------------------------

  private session(readerId: string): { insertion: number; session: CardSession } {
    const insertion = this.cards.insertionOf(readerId);
    const card = this.cards.get(readerId)?.card;
    if (card && card.module !== 'BEID') throw new CardError('CARD_NOT_SUPPORTED', 'The card in this reader is not a Belgian eID card.');
    let session = this.sessions.get(insertion);
    if (!session) {
      session = { files: new Map() };
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

  private async askTries(ch: CardChannel): Promise<number> {
    const r = splitResponse(await ch.transmit(Belpic.pinStatus()));
    if ((r.sw & 0xfff0) === 0x63c0) return r.sw & 0x0f;
    if (r.sw === 0x6983) return 0;
    if (r.sw === SW_OK) return MAX_PIN_TRIES;
    throw cardError('to report the PIN status', r.sw);
  }

  /** Refuse to spend the last try unless asked; a blocked PIN is reported without trying. */
  private async guardLastTry(ch: CardChannel, session: CardSession, family: KeyFamily, allowLastTry: boolean): Promise<void> {
    const tries = family === 'EC' ? await this.askTries(ch) : session.knownTries;
    if (tries !== undefined) session.knownTries = tries;
    if (tries === 0) throw new CardError('PIN_BLOCKED', 'The PIN is blocked.', { retriesLeft: 0 });
    if (tries === 1 && !allowLastTry) {
      throw new CardError('PIN_LAST_TRY_REFUSED', 'Only one PIN try is left; set allowLastTry to use it.', { retriesLeft: 1 });
    }
  }

  private async verifyOnCard(ch: CardChannel, session: CardSession, family: KeyFamily, pin: string, allowLastTry: boolean): Promise<number> {
    await this.guardLastTry(ch, session, family, allowLastTry);
    const r = splitResponse(await ch.transmit(Belpic.verifyPin(pinBlock(pin))));
    return this.pinOutcome(session, r.sw);
  }

  private pinOutcome(session: CardSession, sw: number): number {
    if (sw === SW_OK) {
      session.knownTries = MAX_PIN_TRIES;
      return MAX_PIN_TRIES;
    }
    if ((sw & 0xfff0) === 0x63c0) {
      const left = sw & 0x0f;
      session.knownTries = left;
      if (left === 0) throw new CardError('PIN_BLOCKED', 'The PIN is blocked.', { retriesLeft: 0 });
      throw new CardError('PIN_INCORRECT', `Wrong PIN; ${left} ${left === 1 ? 'try' : 'tries'} left.`, { retriesLeft: left });
    }
    if (sw === 0x6983) {
      session.knownTries = 0;
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
    for (const k of this.sessions.keys()) if (!live.has(k)) this.sessions.delete(k);
  }
}
