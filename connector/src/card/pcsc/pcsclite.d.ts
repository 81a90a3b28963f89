// Minimal typings for the parts of the `pcsclite` binding the connector uses.
declare module 'pcsclite' {
  import { EventEmitter } from 'node:events';

  export interface ReaderStatus {
    state: number;
    atr?: Buffer;
  }

  export interface CardReader extends EventEmitter {
    name: string;
    state: number;
    connected: boolean;
    SCARD_STATE_PRESENT: number;
    SCARD_STATE_EMPTY: number;
    SCARD_STATE_CHANGED: number;
    SCARD_STATE_MUTE: number;
    SCARD_SHARE_SHARED: number;
    SCARD_SHARE_EXCLUSIVE: number;
    SCARD_LEAVE_CARD: number;
    SCARD_RESET_CARD: number;
    SCARD_UNPOWER_CARD: number;
    SCARD_PROTOCOL_T0: number;
    SCARD_PROTOCOL_T1: number;
    connect(options: { share_mode?: number; protocol?: number }, cb: (err: Error | null, protocol: number) => void): void;
    disconnect(disposition: number, cb: (err: Error | null) => void): void;
    transmit(data: Buffer, resLen: number, protocol: number, cb: (err: Error | null, data: Buffer) => void): void;
    control(data: Buffer, code: number, resLen: number, cb: (err: Error | null, data: Buffer) => void): void;
    SCARD_CTL_CODE(code: number): number;
    close(): void;
    on(event: 'status', l: (s: ReaderStatus) => void): this;
    on(event: 'end', l: () => void): this;
    on(event: 'error', l: (e: Error) => void): this;
  }

  export interface PCSCLite extends EventEmitter {
    readers: Record<string, CardReader>;
    close(): void;
    on(event: 'reader', l: (r: CardReader) => void): this;
    on(event: 'error', l: (e: Error) => void): this;
  }

  export default function pcsclite(): PCSCLite;
}
