import { connect, type Socket } from 'node:net';
import { CardRemovedError, type BelpicCard } from '../card/belpic-card.js';

export const VPCD_BASE_PORT = 35963;

export interface VpcdOptions {
  host?: string;
  /** TCP port; default 35963 + readerIndex. */
  port?: number;
  /** 0 → "Virtual PCD 00 00" (35963), 1 → "Virtual PCD 00 01" (35964). */
  readerIndex?: number;
  /** Give up connecting after this many milliseconds (default 5000). */
  connectTimeoutMs?: number;
  /** Called for each frame, for debugging. */
  trace?: (direction: 'in' | 'out', frame: Buffer) => void;
}

export interface VpcdInsertion {
  /** Pull the card out: closes the socket; resolves once closed. */
  remove(): Promise<void>;
  /** Resolves when the socket closed, for whatever reason (remove, removeAfterApdus, pcscd gone). */
  closed: Promise<void>;
  readonly port: number;
}

const CTRL_POWER_OFF = 0x00;
const CTRL_POWER_ON = 0x01;
const CTRL_RESET = 0x02;
const CTRL_GET_ATR = 0x04;

function frame(payload: Buffer): Buffer {
  const head = Buffer.alloc(2);
  head.writeUInt16BE(payload.length);
  return Buffer.concat([head, payload]);
}

/**
 * Inserts `card` into a vpcd virtual reader: connects to the driver's TCP port (connecting
 * = card inserted, closing = card removed) and answers its frames: 2-byte big-endian
 * length + payload; 1-byte payloads are control (00 off, 01 on, 02 reset, 04 ATR),
 * longer ones are C-APDUs answered with R-APDUs.
 */
export function insertIntoVpcd(card: BelpicCard, opts: VpcdOptions = {}): Promise<VpcdInsertion> {
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? VPCD_BASE_PORT + (opts.readerIndex ?? 0);
  const trace = opts.trace;

  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host, port });
    socket.setNoDelay(true);
    let connected = false;
    let pending = Buffer.alloc(0);
    let closedResolve!: () => void;
    const closed = new Promise<void>((r) => (closedResolve = r));

    const timer = setTimeout(() => {
      if (!connected) socket.destroy(new Error(`vpcd connect timeout (${host}:${port})`));
    }, opts.connectTimeoutMs ?? 5000);

    const unlisten = card.onRemoved(() => socket.end());

    const send = (payload: Buffer) => {
      trace?.('out', payload);
      socket.write(frame(payload));
    };

    const handle = (payload: Buffer) => {
      trace?.('in', payload);
      if (payload.length === 1) {
        switch (payload[0]) {
          case CTRL_POWER_OFF:
            card.powerOff();
            return;
          case CTRL_POWER_ON:
          case CTRL_RESET:
            if (!card.removed) card.powerOn();
            return;
          case CTRL_GET_ATR:
            send(Buffer.from(card.atr));
            return;
          default:
            return;
        }
      }
      try {
        const { reply, delayMs } = card.respond(payload);
        // A held-back answer: vpcd waits for it (pcscd's reader stays busy meanwhile).
        if (delayMs === 0) send(reply);
        else if (Number.isFinite(delayMs)) setTimeout(() => !socket.destroyed && send(reply), delayMs).unref();
      } catch (err) {
        if (err instanceof CardRemovedError) socket.destroy();
        else throw err;
      }
    };

    socket.on('connect', () => {
      connected = true;
      socket.setNoDelay(true);
      clearTimeout(timer);
      resolve({
        port,
        closed,
        remove: () => {
          if (!socket.destroyed) socket.end();
          return closed;
        },
      });
    });
    socket.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 2) {
        const len = pending.readUInt16BE(0);
        if (pending.length < 2 + len) break;
        const payload = pending.subarray(2, 2 + len);
        pending = pending.subarray(2 + len);
        if (card.removed) {
          socket.destroy();
          return;
        }
        handle(Buffer.from(payload));
      }
    });
    socket.on('error', (err) => {
      if (!connected) {
        clearTimeout(timer);
        reject(err);
      }
    });
    socket.on('close', () => {
      clearTimeout(timer);
      unlisten();
      closedResolve();
    });
  });
}
