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

export interface Tamper {
  /** Change one character of the surname after signing: 4032 no longer verifies. */
  identity?: boolean;
  /** Change one character of the street after signing: 4034 no longer verifies. */
  address?: boolean;
  /** Flip bytes inside the photo's scan data: the tag 11 hash no longer matches. */
  photo?: boolean;
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

export function applyTamper(material: CardMaterial, tamper: Tamper | undefined) {
  const f = material.files;
  return {
    identity: tamper?.identity ? flipInValue(f.identity, 0x07, 0) : f.identity,
    address: tamper?.address ? flipInValue(f.address, 0x01, 0) : f.address,
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
  add(id, 0x4032, 'EF', { data: material.files.identitySignature });
  add(id, 0x4033, 'EF', { data: files.address });
  add(id, 0x4034, 'EF', { data: material.files.addressSignature });
  add(id, 0x4035, 'EF', { data: files.photo });
  if (material.files.basicPublicKey) add(id, 0x4040, 'EF', { data: material.files.basicPublicKey });

  return { mf, byPath, byAid };
}
