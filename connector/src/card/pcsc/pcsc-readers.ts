import { createRequire } from 'node:module';
import type { CardReader, PCSCLite } from 'pcsclite';
import type { Logger } from 'pino';
import { CardError } from '../card-error.js';
import { matchAtr } from '../modules/atr-match.js';
import { ExclusiveQueue } from '../exclusive-queue.js';
import { ReaderEvents } from '../reader-events.js';
import { readerIdOf } from '../reader-id.js';
import type { CardAccess, CardChannel, CardSnapshot, ReaderEvent, ReaderEventType, ReaderSnapshot, ReaderSource } from '../reader-types.js';

const RETRY_MS = 2000;
const MAX_RESPONSE = 4096;
const REMOVAL_GRACE_MS = 1500;
/** PC/SC return codes that mean "the card is gone or was reset under us". */
const CARD_GONE = /0x80100069|0x80100068|0x8010000c|0x80100067|0x80100066|removed|reset/i;

interface ReaderEntry {
  id: string;
  name: string;
  reader: CardReader;
  card: CardSnapshot | null;
  atr: Buffer | null;
  insertion: number;
  protocol: number | null;
  pinpad: boolean;
  queue: ExclusiveQueue;
}

/**
 * Readers through pcscd (the `pcsclite` binding). Keeps one entry per reader, turns status
 * changes into events, lends the card to one task at a time, and reconnects to pcscd when
 * it comes back.
 */
export class PcscReaders implements ReaderSource, CardAccess {
  private pcsc: PCSCLite | undefined;
  private readonly entries = new Map<string, ReaderEntry>();
  private readonly events = new ReaderEvents();
  private retry: NodeJS.Timeout | undefined;
  private closed = false;
  private insertions = 0;
  private lastError: string | undefined;

  constructor(private readonly log: Logger) {}

  start(): this {
    this.connect();
    return this;
  }

  available(): boolean {
    return this.pcsc !== undefined;
  }

  list(): ReaderSnapshot[] {
    return [...this.entries.values()].map(snapshot);
  }

  get(id: string): ReaderSnapshot | undefined {
    const e = this.entries.get(id);
    return e && snapshot(e);
  }

  subscribe(listener: (e: ReaderEvent) => void): () => void {
    return this.events.subscribe(listener);
  }

  insertionOf(readerId: string): number {
    if (!this.pcsc) throw pcscUnavailable(this.lastError);
    const entry = this.entries.get(readerId);
    if (!entry) throw new CardError('READER_NOT_FOUND', 'No reader with this id.');
    if (!entry.card) throw new CardError('NO_CARD', 'The reader holds no card.');
    return entry.insertion;
  }

  withCard<T>(readerId: string, task: (channel: CardChannel) => Promise<T>): Promise<T> {
    if (!this.pcsc) throw pcscUnavailable(this.lastError);
    const entry = this.entries.get(readerId);
    if (!entry) throw new CardError('READER_NOT_FOUND', 'No reader with this id.');
    return entry.queue.run(async () => {
      if (!entry.card || !entry.atr) throw new CardError('NO_CARD', 'The reader holds no card.');
      const insertion = entry.insertion;
      const protocol = await this.ensureConnected(entry);
      const channel: CardChannel = {
        atr: entry.atr,
        insertion,
        transmit: (apdu) => this.transmit(entry, insertion, protocol, apdu),
      };
      return task(channel);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    this.teardown();
  }

  private connect(): void {
    if (this.closed) return;
    let pcsc: PCSCLite;
    try {
      const require = createRequire(import.meta.url);
      const factory = require('pcsclite') as () => PCSCLite;
      pcsc = factory();
    } catch (e) {
      this.unavailable(e as Error);
      return;
    }
    this.pcsc = pcsc;
    this.lastError = undefined;
    pcsc.on('reader', (r) => this.addReader(r));
    pcsc.on('error', (e) => this.unavailable(e));
    this.log.info('pcsc connected');
  }

  private unavailable(e: Error): void {
    if (this.lastError !== e.message) this.log.warn({ err: e.message }, 'pcsc unavailable; retrying');
    this.lastError = e.message;
    this.teardown();
    if (!this.closed) this.retry = setTimeout(() => this.connect(), RETRY_MS).unref();
  }

  private teardown(): void {
    for (const e of [...this.entries.values()]) this.removeReader(e);
    if (this.pcsc) {
      const p = this.pcsc;
      this.pcsc = undefined;
      p.removeAllListeners('reader');
      p.removeAllListeners('error');
      p.on('error', () => undefined);
      try {
        p.close();
      } catch {
        // already closed
      }
    }
  }

  private addReader(reader: CardReader): void {
    const entry: ReaderEntry = {
      id: readerIdOf(reader.name),
      name: reader.name,
      reader,
      card: null,
      atr: null,
      insertion: 0,
      protocol: null,
      pinpad: false,
      queue: new ExclusiveQueue(),
    };
    this.entries.set(entry.id, entry);
    this.emit('READER_ADDED', entry);
    reader.on('error', (e) => this.log.debug({ reader: entry.id, err: e.message }, 'reader status error'));
    reader.on('end', () => this.removeReader(entry));
    reader.on('status', (s) => {
      const present = (s.state & reader.SCARD_STATE_PRESENT) !== 0 && (s.state & reader.SCARD_STATE_MUTE) === 0 && !!s.atr?.length;
      if (present && (!entry.atr || !entry.atr.equals(s.atr!))) {
        if (entry.card) this.cardRemoved(entry);
        entry.atr = Buffer.from(s.atr!);
        const m = matchAtr(entry.atr.toString('hex'));
        entry.card = { atr: entry.atr.toString('hex').toUpperCase(), module: m.module, description: m.description };
        entry.insertion = ++this.insertions;
        this.emit('CARD_INSERTED', entry);
      } else if (!present && entry.card) {
        this.cardRemoved(entry);
      }
    });
  }

  private cardRemoved(entry: ReaderEntry): void {
    const was = snapshot(entry);
    entry.card = null;
    entry.atr = null;
    entry.protocol = null;
    if (entry.reader.connected) entry.reader.disconnect(entry.reader.SCARD_LEAVE_CARD, () => undefined);
    this.events.emit({ type: 'CARD_REMOVED', reader: { ...was, card: null }, at: new Date().toISOString() });
  }

  private removeReader(entry: ReaderEntry): void {
    if (!this.entries.delete(entry.id)) return;
    if (entry.card) this.cardRemoved(entry);
    entry.reader.removeAllListeners('status');
    entry.reader.on('error', () => undefined);
    try {
      entry.reader.close();
    } catch {
      // gone already
    }
    this.emit('READER_REMOVED', entry);
  }

  private emit(type: ReaderEventType, entry: ReaderEntry): void {
    this.events.emit({ type, reader: snapshot(entry), at: new Date().toISOString() });
  }

  private ensureConnected(entry: ReaderEntry): Promise<number> {
    const r = entry.reader;
    if (r.connected && entry.protocol !== null) return Promise.resolve(entry.protocol);
    return new Promise((resolve, reject) => {
      r.connect({ share_mode: r.SCARD_SHARE_SHARED }, (err, protocol) => {
        if (err) return reject(mapPcscError(err));
        entry.protocol = protocol;
        resolve(protocol);
      });
    });
  }

  private async transmit(entry: ReaderEntry, insertion: number, protocol: number, apdu: Uint8Array): Promise<Buffer> {
    if (entry.insertion !== insertion || !entry.card) throw cardRemoved();
    let failure: Error | undefined;
    const response = await new Promise<Buffer | undefined>((resolve) => {
      entry.reader.transmit(Buffer.from(apdu), MAX_RESPONSE, protocol, (err, data) => {
        failure = err ?? undefined;
        resolve(err ? undefined : data);
      });
    });
    if (response && response.length >= 2) return response;
    entry.protocol = null;
    this.log.debug({ reader: entry.id, err: failure?.message ?? 'empty response' }, 'transmit failed');
    // A pulled card shows up as various transmit errors (or an empty answer) a moment before
    // pcscd reports the removal; wait for that report to tell "removed" from "broken".
    if ((failure && CARD_GONE.test(failure.message)) || (await this.cardLeft(entry, insertion))) throw cardRemoved();
    throw new CardError('CARD_ERROR', 'The reader or card did not answer.');
  }

  private async cardLeft(entry: ReaderEntry, insertion: number): Promise<boolean> {
    const deadline = Date.now() + REMOVAL_GRACE_MS;
    while (Date.now() < deadline) {
      if (entry.insertion !== insertion || !entry.card || !this.entries.has(entry.id)) return true;
      await new Promise((r) => setTimeout(r, 25));
    }
    return false;
  }
}

function snapshot(e: ReaderEntry): ReaderSnapshot {
  return { id: e.id, name: e.name, pinpad: e.pinpad, card: e.card };
}

const cardRemoved = () => new CardError('CARD_REMOVED', 'The card was removed during the operation.');

function mapPcscError(err: Error): CardError {
  if (CARD_GONE.test(err.message)) return cardRemoved();
  return new CardError('CARD_ERROR', 'The reader or card did not answer.');
}

export function pcscUnavailable(detail?: string): CardError {
  return new CardError(
    'PCSC_UNAVAILABLE',
    'The smart-card service (pcscd) is not running. Start it (e.g. `sudo systemctl start pcscd` or `pcscd`) and try again.',
    detail ? { detail } : {},
  );
}
