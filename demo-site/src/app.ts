// The page's shared state: the connector's status, the readers (kept live by the reader
// event stream) and the reader the card pages work with.
import { createConnector, isConnectorError, type Connector, type Info, type Reader, type ReaderEvent } from '@cardlink/web-sdk';

export type Connection = { status: 'connecting' } | { status: 'ready'; info: Info } | { status: 'error'; error: unknown };

export interface AppState {
  connection: Connection;
  readers: Reader[];
  /** Why the readers could not be listed (e.g. PCSC_UNAVAILABLE), if so. */
  readersError: unknown;
  /** Whether reader events are being received. */
  live: boolean;
  /** The latest reader events, newest first. */
  events: ReaderEvent[];
  selectedReaderId: string | null;
}

/** Errors that mean the connector as a whole is not usable from this page. */
export const isConnectionError = (e: unknown): boolean =>
  isConnectorError(e) && (e.code === 'CONNECTOR_UNREACHABLE' || e.code === 'ORIGIN_NOT_ALLOWED');

const RETRY_MS = 5000;
const MAX_EVENTS = 12;

export class App {
  readonly connector: Connector;
  state: AppState = { connection: { status: 'connecting' }, readers: [], readersError: null, live: false, events: [], selectedReaderId: null };
  private readonly listeners = new Set<() => void>();
  private stopEvents: (() => void) | undefined;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private attempt = 0;

  constructor(readonly url: string) {
    this.connector = createConnector({ url, tag: 'demo:status' });
  }

  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  get info(): Info | null {
    return this.state.connection.status === 'ready' ? this.state.connection.info : null;
  }

  get selectedReader(): Reader | null {
    return this.state.readers.find((r) => r.id === this.state.selectedReaderId) ?? null;
  }

  selectReader(id: string): void {
    this.set({ selectedReaderId: id });
  }

  /** Check the connector, then list the readers and follow their events. */
  async connect(): Promise<void> {
    const attempt = ++this.attempt;
    clearTimeout(this.retry);
    this.stopEvents?.();
    this.stopEvents = undefined;
    if (this.state.connection.status !== 'ready') this.set({ connection: { status: 'connecting' } });
    try {
      const info = await this.connector.info();
      if (attempt !== this.attempt) return;
      this.set({ connection: { status: 'ready', info } });
      this.follow(); // first, so that no event falls between the list and the stream
      await this.refreshReaders();
    } catch (e) {
      if (attempt === this.attempt) this.lost(e);
    }
  }

  /** The connector became unusable: say why, and check again in a while. */
  lost(error: unknown): void {
    this.stopEvents?.();
    this.stopEvents = undefined;
    clearTimeout(this.retry);
    this.set({ connection: { status: 'error', error }, live: false, readers: [], readersError: null });
    this.retry = setTimeout(() => void this.connect(), RETRY_MS);
  }

  /** Report an error from any call: connection-level errors switch the whole page. */
  report(e: unknown): void {
    if (isConnectionError(e)) this.lost(e);
  }

  async refreshReaders(): Promise<void> {
    try {
      const readers = await this.connector.readers();
      this.set({ readers, readersError: null });
    } catch (e) {
      if (isConnectionError(e)) this.lost(e);
      else this.set({ readers: [], readersError: e });
    }
  }

  private follow(): void {
    this.stopEvents = this.connector.onReaderEvent(
      (event) => this.apply(event),
      () => {
        // The stream ended (connector stopped or restarted): check it again shortly.
        this.stopEvents = undefined;
        this.set({ live: false });
        clearTimeout(this.retry);
        this.retry = setTimeout(() => void this.connect(), 1000);
      },
    );
    this.set({ live: true });
  }

  private apply(event: ReaderEvent): void {
    const readers = this.state.readers.filter((r) => r.id !== event.reader.id);
    if (event.type !== 'READER_REMOVED') {
      const at = this.state.readers.findIndex((r) => r.id === event.reader.id);
      readers.splice(at < 0 ? readers.length : at, 0, event.reader);
    }
    this.set({ readers, readersError: null, events: [event, ...this.state.events].slice(0, MAX_EVENTS) });
  }

  private set(patch: Partial<AppState>): void {
    const next = { ...this.state, ...patch };
    // Keep the chosen reader while it is there and holds an eID card; else move to one that does.
    const chosen = next.readers.find((r) => r.id === next.selectedReaderId);
    const withEid = next.readers.find((r) => r.card?.module === 'BEID');
    if (!chosen || (chosen.card?.module !== 'BEID' && withEid)) next.selectedReaderId = (withEid ?? chosen ?? next.readers[0])?.id ?? null;
    this.state = next;
    for (const l of this.listeners) l();
  }
}
