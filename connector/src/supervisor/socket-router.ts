import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';
import type { ConnectionMessage } from './protocol.js';
import type { Worker } from './worker-lifecycle.js';

/** Connections accepted while no worker is routed wait here, up to this many. */
const MAX_QUEUED = 1024;

/**
 * The listening socket. Every accepted connection goes, paused and unread, to the routed
 * worker over IPC (as Node's cluster does); while none is routed, connections queue.
 * Our copy of a handed connection stays open until the worker says `took`, so one handed to a
 * worker that dies first is routed again instead of being lost.
 */
export class SocketRouter {
  private server!: Server;
  private boundPort = 0;
  private target: Worker | undefined;
  private queue: Socket[] = [];
  private seq = 0;
  private readonly unacked = new WeakMap<Worker, Map<number, Socket>>();

  constructor(
    private readonly host: string,
    private readonly log: Logger,
  ) {}

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    return `https://${this.host === '::1' ? '[::1]' : this.host}:${this.boundPort}`;
  }

  /** The worker new connections go to. */
  get routed(): Worker | undefined {
    return this.target;
  }

  async listen(port: number): Promise<number> {
    this.server = createServer({ pauseOnConnect: true }, (s) => this.route(s));
    this.boundPort = await new Promise<number>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, this.host, () => {
        this.server.off('error', reject);
        const a = this.server.address();
        resolve(typeof a === 'object' && a ? a.port : port);
      });
    });
    this.server.on('error', (e) => this.log.error({ err: e }, 'listening socket error'));
    return this.boundPort;
  }

  /** Route new connections (and the queued ones) to `w`. */
  routeTo(w: Worker): void {
    this.target = w;
    for (const s of this.queue.splice(0)) this.hand(w, s);
  }

  /** Nobody is routed: connections queue until `routeTo`. */
  unroute(): void {
    this.target = undefined;
  }

  /** A worker exited: connections it never took are still intact, so they go to whoever serves now. */
  reclaim(w: Worker): void {
    const pending = this.unacked.get(w);
    if (!pending) return;
    const orphans = [...pending.values()];
    pending.clear();
    for (const s of orphans) this.route(s);
  }

  close(): void {
    this.server.close();
    for (const s of this.queue.splice(0)) s.destroy();
  }

  private route(socket: Socket): void {
    const w = this.target;
    if (!w || !w.child.connected) {
      if (this.queue.length >= MAX_QUEUED) socket.destroy();
      else this.queue.push(socket);
      return;
    }
    this.hand(w, socket);
  }

  private pendingOf(w: Worker): Map<number, Socket> {
    let pending = this.unacked.get(w);
    if (!pending) {
      const map = (pending = new Map<number, Socket>());
      this.unacked.set(w, map);
      w.on('took', (m) => {
        map.get(m.id)?.destroy(); // our copy only: the worker holds the connection now
        map.delete(m.id);
      });
    }
    return pending;
  }

  private hand(w: Worker, socket: Socket): void {
    const id = ++this.seq;
    const pending = this.pendingOf(w);
    pending.set(id, socket);
    const retry = () => {
      if (!pending.delete(id)) return;
      // The worker is going away: route the untouched connection again.
      if (w.child.connected) socket.destroy();
      else this.route(socket);
    };
    try {
      w.child.send({ t: 'connection', id } satisfies ConnectionMessage, socket, { keepOpen: true }, (err) => {
        if (err) retry();
      });
    } catch {
      retry();
    }
  }
}
