import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BelpicCard, type BelpicCardOptions } from '../src/card/belpic-card.js';
import { ensureMaterial, loadMaterial, materialDir, type CardMaterial } from '../src/material/store.js';
import type { Profile } from '../src/material/types.js';

/** Test-only reader of the BELPIC TLV (tag, FF-extended length, value; zero padding ends it). */
export function readTlv(data: Uint8Array): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  const b = Buffer.from(data);
  let i = 0;
  while (i < b.length) {
    const tag = b[i]!;
    if (tag === 0 && b.subarray(i).every((x) => x === 0)) break; // padding
    i++;
    let len = 0;
    while (b[i] === 0xff) {
      len += 0xff;
      i++;
    }
    if (i >= b.length) throw new Error('truncated TLV length');
    len += b[i]!;
    i++;
    if (i + len > b.length) throw new Error('truncated TLV value');
    out.set(tag, b.subarray(i, i + len));
    i += len;
  }
  return out;
}

export function hex(s: string): Buffer {
  return Buffer.from(s.replace(/\s+/g, ''), 'hex');
}

export function sw(reply: Buffer): number {
  return reply.readUInt16BE(reply.length - 2);
}

export function body(reply: Buffer): Buffer {
  return reply.subarray(0, reply.length - 2);
}

/** Format-2 PIN block. */
export function pinBlock(pin: string): Buffer {
  const b = Buffer.alloc(8, 0xff);
  b[0] = 0x20 | pin.length;
  for (let i = 0; i < pin.length; i++) {
    const d = Number(pin[i]);
    const idx = 1 + (i >> 1);
    b[idx] = i % 2 === 0 ? (d << 4) | 0x0f : (b[idx]! & 0xf0) | d;
  }
  return b;
}

export function verifyApdu(pin: string): Buffer {
  return Buffer.concat([hex('0020000108'), pinBlock(pin)]);
}

export function selectPath(path: string): Buffer {
  const p = hex(path);
  return Buffer.concat([Buffer.from([0x00, 0xa4, 0x08, 0x0c, p.length]), p]);
}

/** Reads the selected file like eid-mw: chunks until a short reply or 6B00. */
export function readSelected(card: BelpicCard, chunk = 0xfc): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const r = card.transmit(Buffer.from([0x00, 0xb0, offset >> 8, offset & 0xff, chunk & 0xff]));
    if (sw(r) === 0x6b00) break;
    if (sw(r) !== 0x9000) throw new Error(`READ BINARY ${offset}: ${sw(r).toString(16)}`);
    const d = body(r);
    parts.push(d);
    offset += d.length;
    if (d.length < (chunk === 0 ? 256 : chunk)) break;
  }
  return Buffer.concat(parts);
}

export function readFile(card: BelpicCard, path: string, chunk = 0xfc): Buffer {
  const r = card.transmit(selectPath(path));
  if (sw(r) !== 0x9000) throw new Error(`SELECT ${path}: ${sw(r).toString(16)}`);
  return readSelected(card, chunk);
}

export function mse(alg: number, key: number): Buffer {
  return Buffer.from([0x00, 0x22, 0x41, 0xb6, 0x05, 0x04, 0x80, alg, 0x84, key]);
}

export function pso(input: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([0x00, 0x2a, 0x9e, 0x9a, input.length]), input, Buffer.from([0x00])]);
}

/** One shared, generated-once material per profile per test run, plus throw-away copies. */
export class MaterialFixture {
  readonly base = mkdtempSync(join(tmpdir(), 'vcard-test-'));
  private readonly cache = new Map<Profile, CardMaterial>();

  async material(profile: Profile): Promise<CardMaterial> {
    let m = this.cache.get(profile);
    if (!m) {
      m = await ensureMaterial({ profile, baseDir: this.base });
      this.cache.set(profile, m);
    }
    return m;
  }

  /** A card on the shared material that never writes PIN state. */
  async card(profile: Profile, opts: Omit<BelpicCardOptions, 'material'> = {}): Promise<BelpicCard> {
    return new BelpicCard({ persistPin: false, ...opts, material: await this.material(profile) });
  }

  /** A private copy of the material (PIN state persists into it). */
  async copy(profile: Profile): Promise<string> {
    await this.material(profile);
    const target = mkdtempSync(join(tmpdir(), 'vcard-copy-'));
    cpSync(materialDir(profile, this.base), join(target, profile), { recursive: true });
    this.copies.push(target);
    return join(target, profile);
  }

  private readonly copies: string[] = [];

  reload(dir: string): CardMaterial {
    return loadMaterial(dir);
  }

  cleanup(): void {
    for (const c of this.copies) rmSync(c, { recursive: true, force: true });
    rmSync(this.base, { recursive: true, force: true });
  }
}
