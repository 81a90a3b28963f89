import { createHash } from 'node:crypto';
import {
  AID_BELPIC,
  AID_ID,
  buildAodf,
  buildCdf,
  buildEfDir,
  buildOdf,
  buildPrkdf,
  buildTokenInfo,
  padCertificateFile,
} from '../material/pkcs15.js';
import type { CardMaterial } from '../material/store.js';
import { signAddress, signIdentity } from '../material/rrn.js';

export interface Tamper {
  /** Change one character of the surname after signing: 4032 no longer verifies. */
  identity?: boolean;
  /** Change one character of the street after signing: 4034 no longer verifies. */
  address?: boolean;
  /** Flip bytes inside the photo's scan data: the tag 11 hash no longer matches. */
  photo?: boolean;
  /**
   * Replace the photo by bytes that are not a JPEG (a PNG signature and noise), with the
   * identity file's photo hash and both RRN signatures redone to match: only a reader that
   * checks the photo is a JPEG notices.
   */
  photoNotJpeg?: boolean;
}

export interface CardNode {
  fid: number;
  kind: 'MF' | 'DF' | 'EF';
  /** Path from the MF as upper-case hex, e.g. "3F00DF014031". */
  path: string;
  parent?: CardNode;
  children: Map<number, CardNode>;
  aid?: Buffer;
  data?: Buffer;
}

export interface CardFileSystem {
  mf: CardNode;
  byPath: Map<string, CardNode>;
  byAid: Map<string, CardNode>;
}

function flipInValue(tlv: Buffer, tag: number, index: number): Buffer {
  const out = Buffer.from(tlv);
  let i = 0;
  while (i + 2 <= out.length) {
    const t = out[i]!;
    let len = 0;
    let j = i + 1;
    while (out[j] === 0xff) {
      len += 0xff;
      j++;
    }
    len += out[j]!;
    j++;
    if (t === tag && len > index) {
      // XOR 0x01 keeps an ASCII letter an ASCII letter: the TLV still parses.
      out[j + index]! ^= 0x01;
      return out;
    }
    i = j + len;
  }
  throw new Error(`tag ${tag} not found for tampering`);
}

/** Photo with bytes flipped in the middle of the entropy-coded data (after the headers). */
function tamperPhoto(photo: Buffer): Buffer {
  const out = Buffer.from(photo);
  const mid = Math.floor(out.length / 2);
  for (let i = mid; i < mid + 4; i++) {
    // Avoid creating/destroying 0xFF marker bytes.
    if (out[i] !== 0xff && out[i]! ^ 0x10 && (out[i]! ^ 0x10) !== 0xff) out[i]! ^= 0x10;
  }
  return out;
}

/** `tlv` with the value of `tag` overwritten by `value` of the same length. */
function replaceValue(tlv: Buffer, tag: number, value: Buffer): Buffer {
  const out = Buffer.from(tlv);
  let i = 0;
  while (i + 2 <= out.length) {
    const t = out[i]!;
    let len = 0;
    let j = i + 1;
    while (out[j] === 0xff) {
      len += 0xff;
      j++;
    }
    len += out[j]!;
    j++;
    if (t === tag) {
      if (len !== value.length) throw new Error(`tag ${tag} holds ${len} bytes, not ${value.length}`);
      value.copy(out, j);
      return out;
    }
    i = j + len;
  }
  throw new Error(`tag ${tag} not found`);
}

const PNG_SIGNATURE = Buffer.from('89504e470d0a1a0a', 'hex');

/** A consistently signed card whose photo is not a JPEG (see Tamper.photoNotJpeg). */
function notJpegFiles(material: CardMaterial) {
  const f = material.files;
  const photo = Buffer.concat([PNG_SIGNATURE, createHash('sha256').update(f.photo).digest(), f.photo.subarray(40)]);
  const hash = createHash(material.profile === '1.7' ? 'sha1' : 'sha384').update(photo).digest();
  const identity = replaceValue(f.identity, 0x11, hash);
  const identitySignature = signIdentity(material.profile, material.keys.rrn, identity);
  const addressSignature = signAddress(material.profile, material.keys.rrn, f.address, identitySignature);
  return { identity, identitySignature, address: f.address, addressSignature, photo };
}

export function applyTamper(material: CardMaterial, tamper: Tamper | undefined) {
  const f = tamper?.photoNotJpeg ? { ...material.files, ...notJpegFiles(material) } : material.files;
  return {
    identity: tamper?.identity ? flipInValue(f.identity, 0x07, 0) : f.identity,
    identitySignature: f.identitySignature,
    address: tamper?.address ? flipInValue(f.address, 0x01, 0) : f.address,
    addressSignature: f.addressSignature,
    photo: tamper?.photo ? tamperPhoto(f.photo) : f.photo,
  };
}

export function buildFileSystem(material: CardMaterial, tamper?: Tamper): CardFileSystem {
  const byPath = new Map<string, CardNode>();
  const byAid = new Map<string, CardNode>();
  const mf: CardNode = { fid: 0x3f00, kind: 'MF', path: '3F00', children: new Map() };
  byPath.set(mf.path, mf);

  const hex4 = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');
  const add = (parent: CardNode, fid: number, kind: 'DF' | 'EF', extra: Partial<CardNode> = {}): CardNode => {
    const node: CardNode = { fid, kind, path: parent.path + hex4(fid), parent, children: new Map(), ...extra };
    parent.children.set(fid, node);
    byPath.set(node.path, node);
    if (node.aid) byAid.set(node.aid.toString('hex'), node);
    return node;
  };

  const files = applyTamper(material, tamper);
  add(mf, 0x2f00, 'EF', { data: buildEfDir() });
  const belpic = add(mf, 0xdf00, 'DF', { aid: AID_BELPIC });
  add(belpic, 0x5031, 'EF', { data: buildOdf() });
  add(belpic, 0x5032, 'EF', { data: buildTokenInfo(material.chipSerial, material.profile) });
  add(belpic, 0x5034, 'EF', { data: buildAodf() });
  add(belpic, 0x5035, 'EF', { data: buildPrkdf(material.profile) });
  add(belpic, 0x5037, 'EF', { data: buildCdf() });
  add(belpic, 0x5038, 'EF', { data: padCertificateFile(material.certs.auth) });
  add(belpic, 0x5039, 'EF', { data: padCertificateFile(material.certs.nonRepudiation) });
  add(belpic, 0x503a, 'EF', { data: padCertificateFile(material.certs.citizenCa) });
  add(belpic, 0x503b, 'EF', { data: padCertificateFile(material.certs.root) });
  add(belpic, 0x503c, 'EF', { data: padCertificateFile(material.certs.rrn) });

  const id = add(mf, 0xdf01, 'DF', { aid: AID_ID });
  add(id, 0x4031, 'EF', { data: files.identity });
  add(id, 0x4032, 'EF', { data: files.identitySignature });
  add(id, 0x4033, 'EF', { data: files.address });
  add(id, 0x4034, 'EF', { data: files.addressSignature });
  add(id, 0x4035, 'EF', { data: files.photo });
  if (material.files.basicPublicKey) add(id, 0x4040, 'EF', { data: material.files.basicPublicKey });

  return { mf, byPath, byAid };
}
