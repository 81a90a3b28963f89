import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { CardRemovedError } from '../src/card/belpic-card.js';
import { insertIntoVpcd } from '../src/transport/vpcd.js';
import { hex, MaterialFixture, selectPath, sw } from './helpers.js';

const fx = new MaterialFixture();
afterAll(() => fx.cleanup());

/** A minimal stand-in for the vpcd driver side: accepts one card, sends frames, reads replies. */
class FakeVpcd {
  private server!: Server;
  private socket: Socket | undefined;
  private buffer = Buffer.alloc(0);
  private waiters: ((b: Buffer) => void)[] = [];
  private connectedResolve!: () => void;
  readonly connected = new Promise<void>((r) => (this.connectedResolve = r));
  closed!: Promise<void>;
  port = 0;

  async listen(): Promise<void> {
    this.server = createServer((s) => {
      this.socket = s;
      this.closed = new Promise((r) => s.on('close', () => r()));
      s.on('data', (d) => {
        this.buffer = Buffer.concat([this.buffer, d]);
        this.drain();
      });
      this.connectedResolve();
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as { port: number }).port;
  }

  private drain() {
    while (this.buffer.length >= 2 && this.waiters.length > 0) {
      const len = this.buffer.readUInt16BE(0);
      if (this.buffer.length < 2 + len) return;
      const payload = this.buffer.subarray(2, 2 + len);
      this.buffer = this.buffer.subarray(2 + len);
      this.waiters.shift()!(Buffer.from(payload));
    }
  }

  send(payload: Buffer): void {
    const head = Buffer.alloc(2);
    head.writeUInt16BE(payload.length);
    this.socket!.write(Buffer.concat([head, payload]));
  }

  async exchange(payload: Buffer): Promise<Buffer> {
    const reply = new Promise<Buffer>((r) => this.waiters.push(r));
    this.send(payload);
    this.drain();
    return reply;
  }

  close(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

describe('vpcd transport (framing, in-process fake driver)', () => {
  it('answers ATR requests and APDUs, ignores power control, and closes on remove()', async () => {
    const drv = new FakeVpcd();
    await drv.listen();
    const card = await fx.card('1.7');
    const insertion = await insertIntoVpcd(card, { port: drv.port });
    await drv.connected;
    expect((await drv.exchange(Buffer.from([0x04]))).equals(card.atr)).toBe(true);
    drv.send(Buffer.from([0x00])); // power off: no reply
    drv.send(Buffer.from([0x01])); // power on: no reply
    drv.send(Buffer.from([0x02])); // reset: no reply
    expect((await drv.exchange(Buffer.from([0x04]))).toString('hex')).toBe('3b9813400aa503010101ad1311');
    const cardData = await drv.exchange(hex('80E400001C'));
    expect(cardData.length).toBe(30);
    expect(sw(cardData)).toBe(0x9000);
    expect(sw(await drv.exchange(selectPath('3F00DF014031')))).toBe(0x9000);
    const read = await drv.exchange(hex('00B0000004'));
    expect(read.subarray(0, 4).equals(card.material.files.identity.subarray(0, 4))).toBe(true);
    await insertion.remove();
    await drv.closed;
    await drv.close();
  });

  it('pulls the card after removeAfterApdus APDUs (socket closed, transmit throws)', async () => {
    const drv = new FakeVpcd();
    await drv.listen();
    const card = await fx.card('1.8', { removeAfterApdus: 3 });
    const insertion = await insertIntoVpcd(card, { port: drv.port });
    await drv.connected;
    await drv.exchange(Buffer.from([0x04])); // control frames are not APDUs
    expect(sw(await drv.exchange(hex('80E400001C')))).toBe(0x9000);
    expect(sw(await drv.exchange(selectPath('3F00DF014035')))).toBe(0x9000);
    expect(sw(await drv.exchange(hex('00B0000000')))).toBe(0x9000); // third APDU still answered
    await Promise.all([insertion.closed, drv.closed]);
    expect(card.removed).toBe(true);
    expect(() => card.transmit(hex('80E400001C'))).toThrow(CardRemovedError);
    await drv.close();
  });

  it('rejects when nothing listens on the port', async () => {
    const drv = new FakeVpcd();
    await drv.listen();
    const port = drv.port;
    await drv.close();
    await expect(insertIntoVpcd(await fx.card('1.7'), { port })).rejects.toThrow(/ECONNREFUSED/);
  });
});
