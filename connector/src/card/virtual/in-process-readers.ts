import type { Logger } from 'pino';
import { CardError } from '../card-error.js';
import { matchAtr } from '../modules/atr-match.js';
import { ExclusiveQueue } from '../exclusive-queue.js';
import { ReaderEvents } from '../reader-events.js';
import { readerIdOf } from '../reader-id.js';
import type { CardAccess, CardChannel, ReaderEvent, ReaderSnapshot, ReaderSource } from '../reader-types.js';

/** The one thing the connector needs from a software card. */
export interface SoftCard {
  readonly atr: Buffer;
  transmit(apdu: Uint8Array): Buffer;
  /** Warm reset: security state dropped. */
  reset(): void;
}

export const VIRTUAL_READER_NAME = 'Cardlink Virtual Reader (in-process)';

/**
 * A reader living inside the connector process, for the embedded default and fast tests
 * (`--virtual-card`). Same contract as the PC/SC readers: events, exclusive queue.
 */
export class InProcessReaders implements ReaderSource, CardAccess {
  private readonly id = readerIdOf(VIRTUAL_READER_NAME);
  private readonly events = new ReaderEvents();
  private readonly queue = new ExclusiveQueue();
  private card: SoftCard | undefined;
  private insertion = 0;

  constructor(private readonly log: Logger) {}

  available(): boolean {
    return true;
  }

  insert(card: SoftCard): void {
    if (this.card) this.remove();
    this.card = card;
    this.insertion++;
    this.log.info('virtual card inserted');
    this.emit('CARD_INSERTED');
  }

  remove(): void {
    if (!this.card) return;
    this.card = undefined;
    this.emit('CARD_REMOVED');
  }

  list(): ReaderSnapshot[] {
    return [this.snapshot()];
  }

  get(id: string): ReaderSnapshot | undefined {
    return id === this.id ? this.snapshot() : undefined;
  }

  subscribe(listener: (e: ReaderEvent) => void): () => void {
    return this.events.subscribe(listener);
  }

  insertionOf(readerId: string): number {
    if (readerId !== this.id) throw new CardError('READER_NOT_FOUND', 'No reader with this id.');
    if (!this.card) throw new CardError('NO_CARD', 'The reader holds no card.');
    return this.insertion;
  }

  withCard<T>(readerId: string, task: (channel: CardChannel) => Promise<T>): Promise<T> {
    const insertion = this.insertionOf(readerId);
    return this.queue.run(async () => {
      const card = this.card;
      if (!card || this.insertion !== insertion) throw new CardError('CARD_REMOVED', 'The card was removed during the operation.');
      return task({
        atr: card.atr,
        insertion,
        transmit: async (apdu) => {
          if (this.card !== card) throw new CardError('CARD_REMOVED', 'The card was removed during the operation.');
          try {
            return card.transmit(apdu);
          } catch {
            throw new CardError('CARD_REMOVED', 'The card was removed during the operation.');
          }
        },
        reset: async () => {
          if (this.card !== card) throw new CardError('CARD_REMOVED', 'The card was removed during the operation.');
          card.reset();
        },
      });
    });
  }

  async close(): Promise<void> {
    this.remove();
  }

  private snapshot(): ReaderSnapshot {
    const card = this.card;
    if (!card) return { id: this.id, name: VIRTUAL_READER_NAME, pinpad: false, card: null };
    const atr = card.atr.toString('hex').toUpperCase();
    const m = matchAtr(atr);
    return { id: this.id, name: VIRTUAL_READER_NAME, pinpad: false, card: { atr, module: m.module, description: m.description } };
  }

  private emit(type: ReaderEvent['type']): void {
    this.events.emit({ type, reader: this.snapshot(), at: new Date().toISOString() });
  }
}
