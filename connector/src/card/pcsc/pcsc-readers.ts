import { createRequire } from 'node:module';
import type { CardReader, PCSCLite } from 'pcsclite';
import type { Logger } from 'pino';
import { CardError, cardRemoved, noCard, readerNotFound } from '../card-error.js';
import { cardTimeout, DEFAULT_CARD_TIMING, TIMED_OUT, within, type CardTiming } from '../deadline.js';
import { matchAtr } from '../modules/atr-match.js';
import { ExclusiveQueue } from '../exclusive-queue.js';
import { ReaderEvents } from '../reader-events.js';
import { readerIdOf } from '../reader-id.js';
import type { CardAccess, CardChannel, CardSnapshot, ReaderEvent, ReaderEventType, ReaderSnapshot, ReaderSource } from '../reader-types.js';

const RETRY_MS = 2000;
/** Short APDUs only: 256 data bytes and the status word. A longer answer is a broken one. */
const MAX_RESPONSE = 258;
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
  /** The binding's handle, with the protocol SCardConnect negotiated; null when not connected by us. */
  connection: { protocol: number } | null;
  /** A transport error or timeout left the card in an unknown state: reset before the next task. */
  dirty: boolean;
  /** A native call still running (its worker thread holds the reader's lock). */
  inflight: Promise<void> | null;
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

  constructor(
    private readonly log: Logger,
    private readonly timing: CardTiming = DEFAULT_CARD_TIMING,
  ) {}

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
    if (!entry) throw readerNotFound();
    if (!entry.card) throw noCard();
    return entry.insertion;
  }

  withCard<T>(readerId: string, task: (channel: CardChannel) => Promise<T>): Promise<T> {
    if (!this.pcsc) throw pcscUnavailable(this.lastError);
    const entry = this.entries.get(readerId);
    if (!entry) throw readerNotFound();
    return entry.queue.run(() => this.runTask(entry, task));
  }

  /**
   * One task with the reader, bounded by the operation timeout. When the bound passes, the
   * task's channel is closed (a straggling transmit of it is refused, so it can never
   * interleave with the next task), the reader is marked for a reset, and the queue moves on.
   */
  private async runTask<T>(entry: ReaderEntry, task: (channel: CardChannel) => Promise<T>): Promise<T> {
    if (!entry.card || !entry.atr) throw noCard();
    const insertion = entry.insertion;
    const atr = entry.atr;
    const lease = { open: true };
    const work = (async () => {
      await this.ready(entry, insertion);
      return task({
        atr,
        insertion,
        transmit: (apdu) => this.transmit(entry, insertion, lease, apdu),
        reset: () => this.reset(entry, insertion, lease),
      });
    })();
    try {
      const result = await within(work, this.timing.operationMs);
      if (result === TIMED_OUT) {
        entry.dirty = true;
        this.log.warn({ reader: entry.id, timeoutMs: this.timing.operationMs }, 'card operation timed out; the reader will be reset');
        throw cardTimeout('the operation', this.timing.operationMs);
      }
      return result;
    } finally {
      lease.open = false;
    }
  }

  /**
   * Bring the reader to a known state before a task: wait (bounded) for a native call still
   * running from an earlier, timed-out task, then reset the card if a transport error or a
   * timeout left it in an unknown state, and connect if needed.
   */
  private async ready(entry: ReaderEntry, insertion: number): Promise<void> {
    if (entry.inflight && (await within(entry.inflight, this.timing.apduMs)) === TIMED_OUT) {
      throw cardTimeout('(an earlier command is still pending)', this.timing.apduMs);
    }
    if (entry.insertion !== insertion || !entry.card) throw cardRemoved();
    if (entry.dirty) {
      await this.reconnect(entry, entry.reader.SCARD_RESET_CARD);
      entry.dirty = false;
      this.log.info({ reader: entry.id }, 'reader reset after a card error');
    } else if (!entry.connection) {
      await this.connectFresh(entry);
    }
  }

  /** Warm reset inside a task: the card drops its security state (verified PIN). */
  private async reset(entry: ReaderEntry, insertion: number, lease: { open: boolean }): Promise<void> {
    if (!lease.open) throw cardTimeout('the operation', this.timing.operationMs);
    if (entry.insertion !== insertion || !entry.card) throw cardRemoved();
    await this.reconnect(entry, entry.reader.SCARD_RESET_CARD);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    await this.teardown();
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
    void this.teardown();
    if (!this.closed) this.retry = setTimeout(() => this.connect(), RETRY_MS).unref();
  }

  private async teardown(): Promise<void> {
    const released = [...this.entries.values()].map((e) => this.removeReader(e));
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
    await Promise.all(released);
  }

  private addReader(reader: CardReader): void {
    const entry: ReaderEntry = {
      id: readerIdOf(reader.name),
      name: reader.name,
      reader,
      card: null,
      atr: null,
      insertion: 0,
      connection: null,
      dirty: false,
      inflight: null,
      pinpad: false,
      queue: new ExclusiveQueue(),
    };
    this.entries.set(entry.id, entry);
    this.emit('READER_ADDED', entry);
    reader.on('error', (e) => this.log.debug({ reader: entry.id, err: e.message }, 'reader status error'));
    reader.on('end', () => void this.removeReader(entry));
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
    entry.connection = null;
    entry.dirty = false;
    if (entry.reader.connected && !entry.inflight) {
      const r = entry.reader;
      this.native<void>(entry, 'SCardDisconnect', (done) => r.disconnect(r.SCARD_LEAVE_CARD, (err) => done(err, undefined))).catch(() => undefined);
    }
    this.events.emit({ type: 'CARD_REMOVED', reader: { ...was, card: null }, at: new Date().toISOString() });
  }

  private async removeReader(entry: ReaderEntry): Promise<void> {
    if (!this.entries.delete(entry.id)) return;
    if (entry.card) this.cardRemoved(entry);
    entry.reader.removeAllListeners('status');
    entry.reader.on('error', () => undefined);
    this.emit('READER_REMOVED', entry);
    // The binding's close() takes the reader's lock on the main thread: while a native call
    // holds it (a card that does not answer), close() would block the whole process. Wait
    // for it, bounded, and leave the reader unclosed if it is still stuck.
    if (entry.inflight && (await within(entry.inflight, this.timing.apduMs)) === TIMED_OUT) {
      this.log.warn({ reader: entry.id }, 'reader still busy with a card that does not answer; left open');
      return;
    }
    if (entry.reader.connected) {
      const r = entry.reader;
      try {
        await this.native<void>(entry, 'SCardDisconnect', (done) => r.disconnect(r.SCARD_LEAVE_CARD, (err) => done(err, undefined)));
      } catch (e) {
        if (e instanceof CardError && e.code === 'CARD_TIMEOUT') return; // the disconnect itself is stuck
      }
    }
    try {
      entry.reader.close();
    } catch {
      // gone already
    }
  }

  private emit(type: ReaderEventType, entry: ReaderEntry): void {
    this.events.emit({ type, reader: snapshot(entry), at: new Date().toISOString() });
  }

  /**
   * A native PC/SC call, bounded by the APDU timeout. The binding runs it on a libuv worker
   * thread holding the reader's lock, so a call that does not return blocks every later call
   * on this reader: it is remembered (`inflight`) and the next task waits for it, bounded,
   * instead of queueing more blocked native work.
   */
  private async native<T>(
    entry: ReaderEntry,
    what: string,
    call: (done: (err: Error | null, value: T) => void) => void,
    boundMs = this.timing.apduMs,
  ): Promise<T> {
    const p = new Promise<T>((resolve, reject) => call((err, value) => (err ? reject(err) : resolve(value))));
    const settled = p.then(
      () => undefined,
      () => undefined,
    );
    entry.inflight = settled;
    void settled.then(() => {
      if (entry.inflight === settled) entry.inflight = null;
    });
    const result = await within(p, boundMs);
    if (result === TIMED_OUT) {
      entry.dirty = true;
      this.log.warn({ reader: entry.id, timeoutMs: boundMs, call: what }, 'card did not answer in time; the reader will be reset');
      throw cardTimeout(what, boundMs);
    }
    return result;
  }

  /**
   * Connect and disconnect/reset are not APDUs: pcscd powers or resets the card (ATR, PPS)
   * and waits for its reader thread, which takes longer on a busy machine. They are bounded
   * by the operation's time, which wraps them anyway.
   */
  private get controlMs(): number {
    return Math.max(this.timing.apduMs, this.timing.operationMs);
  }

  /** SCardConnect on a reader the binding holds no handle for. */
  private async connectFresh(entry: ReaderEntry): Promise<void> {
    const r = entry.reader;
    // The binding's connect() on a reader it believes connected calls back without a
    // protocol; never let it: a handle we do not know the protocol of is reconnected.
    if (r.connected) {
      await this.reconnect(entry, r.SCARD_LEAVE_CARD);
      return;
    }
    try {
      const protocol = await this.native<number>(
        entry, 'SCardConnect', (done) => r.connect({ share_mode: r.SCARD_SHARE_SHARED }, done), this.controlMs,
      );
      if (typeof protocol !== 'number') throw new Error('SCardConnect gave no protocol');
      entry.connection = { protocol };
    } catch (e) {
      entry.connection = null;
      throw e instanceof CardError ? e : mapPcscError(e as Error);
    }
  }

  /** Disconnect with `disposition` (LEAVE, or RESET: a warm reset), then connect again. */
  private async reconnect(entry: ReaderEntry, disposition: number): Promise<void> {
    const r = entry.reader;
    entry.connection = null;
    if (r.connected) {
      try {
        await this.native<void>(entry, 'SCardDisconnect', (done) => r.disconnect(disposition, (err) => done(err, undefined)), this.controlMs);
      } catch (e) {
        if (e instanceof CardError) throw e;
        // The handle is unusable (e.g. the card was reset or pulled under us); the binding
        // keeps `connected` set after a failed disconnect, so drop it to connect afresh.
        this.log.debug({ reader: entry.id, err: (e as Error).message }, 'disconnect failed; connecting afresh');
        (r as { connected: boolean }).connected = false;
      }
    }
    await this.connectFresh(entry);
  }

  private async transmit(entry: ReaderEntry, insertion: number, lease: { open: boolean }, apdu: Uint8Array): Promise<Buffer> {
    if (!lease.open) throw cardTimeout('the operation', this.timing.operationMs);
    if (entry.insertion !== insertion || !entry.card) throw cardRemoved();
    const connection = entry.connection;
    if (!connection) throw new CardError('CARD_ERROR', 'The reader or card did not answer.');
    let failure: Error | undefined;
    let response: Buffer | undefined;
    try {
      response = await this.native<Buffer>(entry, 'the command', (done) =>
        entry.reader.transmit(Buffer.from(apdu), MAX_RESPONSE, connection.protocol, done),
      );
    } catch (e) {
      if (e instanceof CardError) throw e;
      failure = e as Error;
    }
    if (response && wellFormed(response)) return response;
    // Whatever the card did (no answer, a broken one), its state is unknown now: the next
    // task resets it before sending anything.
    entry.dirty = true;
    this.log.debug({ reader: entry.id, err: failure?.message ?? `malformed answer of ${response?.length ?? 0} bytes` }, 'transmit failed');
    // A pulled card shows up as various transmit errors (or an empty answer) a moment before
    // pcscd reports the removal; wait for that report to tell "removed" from "broken".
    if ((failure && CARD_GONE.test(failure.message)) || (await this.cardLeft(entry, insertion))) throw cardRemoved();
    throw new CardError('CARD_ERROR', 'The reader or card did not answer properly; the reader is reset before its next request.');
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

/** An R-APDU: at least the status word, whose SW1 is 6x or 9x (ISO 7816-4); anything else is noise. */
function wellFormed(r: Buffer): boolean {
  if (r.length < 2) return false;
  const sw1 = r[r.length - 2]! & 0xf0;
  return sw1 === 0x60 || sw1 === 0x90;
}

function snapshot(e: ReaderEntry): ReaderSnapshot {
  return { id: e.id, name: e.name, pinpad: e.pinpad, card: e.card };
}

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

