import { createHash, createPrivateKey, createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { cardNumberFor, defaultCitizen, defaultMunicipality, formatBirthDate, formatCardDate, sexLetter } from './citizen.js';
import { generatePhoto } from './photo.js';
import { signAddress, signIdentity } from './rrn.js';
import { encodeBelpicTlv, zeroPad, type TlvEntry } from './tlv.js';
import {
  PIN_MAX_TRIES,
  rrnSignatureFormatOf,
  type CardFacts,
  type CardLanguage,
  type CertName,
  type Citizen,
  type MaterialManifest,
  type PinState,
  type Profile,
} from './types.js';

export const ADDRESS_FILE_SIZE = 117;
export const DEFAULT_PIN = '1234';

/** Base directory: `$XDG_DATA_HOME/cardlink/virtual-card` or `~/.local/share/cardlink/virtual-card`. */
export function defaultBaseDir(): string {
  const xdg = process.env.XDG_DATA_HOME;
  const base = xdg && xdg.length > 0 ? xdg : join(homedir(), '.local', 'share');
  return join(base, 'cardlink', 'virtual-card');
}

/** The directory holding one profile's material: `<base>/<profile>`. */
export function materialDir(profile: Profile, baseDir?: string): string {
  return join(baseDir ?? defaultBaseDir(), profile);
}

/** Files of the ID DF (3F00/DF01), as stored and as the card serves them (before tampering). */
export interface IdFiles {
  /** 4031 */
  identity: Buffer;
  /** 4032 */
  identitySignature: Buffer;
  /** 4033, zero padded to 117 bytes */
  address: Buffer;
  /** 4034 */
  addressSignature: Buffer;
  /** 4035 */
  photo: Buffer;
  /** 4040 (applet 1.8): SubjectPublicKeyInfo of the basic key */
  basicPublicKey?: Buffer;
}

/** Everything a card needs, loaded from the material directory. */
export interface CardMaterial {
  dir: string;
  manifest: MaterialManifest;
  profile: Profile;
  chipSerial: Buffer;
  keys: { auth: KeyObject; nonRepudiation: KeyObject; rrn: KeyObject; basic?: KeyObject };
  certs: Record<CertName, Buffer>;
  files: IdFiles;
}

export interface MaterialOptions {
  profile: Profile;
  /** Base directory; the material goes to `<baseDir>/<profile>`. */
  baseDir?: string;
  language?: CardLanguage;
  citizen?: Partial<Citizen>;
  pin?: string;
}

const CERT_NAMES: CertName[] = ['root', 'citizenCa', 'auth', 'nonRepudiation', 'rrn'];

const FILE_NAMES = {
  identity: '4031-identity.tlv',
  identitySignature: '4032-identity-signature.bin',
  address: '4033-address.tlv',
  addressSignature: '4034-address-signature.bin',
  photo: '4035-photo.jpg',
  basicPublicKey: '4040-basic-public-key.der',
} as const;

export function materialExists(dir: string): boolean {
  return existsSync(join(dir, 'material.json'));
}

/**
 * Loads the material of `profile` (generating it on first use). Later calls load the
 * stored files unchanged: keys, certificates, signatures and the chip serial never change.
 */
export async function ensureMaterial(opts: MaterialOptions): Promise<CardMaterial> {
  const dir = materialDir(opts.profile, opts.baseDir);
  if (!materialExists(dir)) await generateMaterial(dir, opts);
  return loadMaterial(dir);
}

/** Synchronous load of existing material. */
export function loadMaterial(dir: string): CardMaterial {
  const manifest = JSON.parse(readFileSync(join(dir, 'material.json'), 'utf8')) as MaterialManifest;
  if (manifest.formatVersion !== 1) throw new Error(`unsupported material format in ${dir}`);
  const key = (n: string) => createPrivateKey(readFileSync(join(dir, 'keys', `${n}.key.pem`), 'utf8'));
  const certs = {} as Record<CertName, Buffer>;
  for (const n of CERT_NAMES) certs[n] = readFileSync(join(dir, 'certs', `${n}.der`));
  const f = (n: string) => readFileSync(join(dir, 'files', n));
  const files: IdFiles = {
    identity: f(FILE_NAMES.identity),
    identitySignature: f(FILE_NAMES.identitySignature),
    address: f(FILE_NAMES.address),
    addressSignature: f(FILE_NAMES.addressSignature),
    photo: f(FILE_NAMES.photo),
  };
  const keys: CardMaterial['keys'] = { auth: key('auth'), nonRepudiation: key('nonRepudiation'), rrn: key('rrn') };
  if (manifest.profile === '1.8') {
    files.basicPublicKey = f(FILE_NAMES.basicPublicKey);
    keys.basic = key('basic');
  }
  return {
    dir,
    manifest,
    profile: manifest.profile,
    chipSerial: Buffer.from(manifest.card.chipSerialHex, 'hex'),
    keys,
    certs,
    files,
  };
}

/** Identity file 4031 content. */
export function buildIdentityFile(citizen: Citizen, card: CardFacts, photoHash: Buffer): Buffer {
  const lang = card.language;
  const entries: TlvEntry[] = [
    { tag: 0x00, value: Buffer.from([0x01]) },
    { tag: 0x01, value: card.cardNumber },
    { tag: 0x02, value: Buffer.from(card.chipSerialHex, 'hex') },
    { tag: 0x03, value: card.validityBegin },
    { tag: 0x04, value: card.validityEnd },
    { tag: 0x05, value: card.deliveringMunicipality },
    { tag: 0x06, value: citizen.nationalNumber },
    { tag: 0x07, value: citizen.surname },
    { tag: 0x08, value: citizen.firstNames },
    { tag: 0x09, value: citizen.thirdNameInitial },
    { tag: 0x0a, value: citizen.nationality },
    { tag: 0x0b, value: citizen.birthPlace },
    { tag: 0x0c, value: formatBirthDate(citizen.birthDate, lang) },
    { tag: 0x0d, value: sexLetter(citizen.sex, lang) },
  ];
  if (citizen.nobleCondition) entries.push({ tag: 0x0e, value: citizen.nobleCondition });
  entries.push(
    { tag: 0x0f, value: citizen.documentType },
    { tag: 0x10, value: citizen.specialStatus },
    { tag: 0x11, value: photoHash },
  );
  return encodeBelpicTlv(entries);
}

/**
 * Address file 4033: street (01), zip (02), municipality (03), zero padded to 117 bytes.
 * No tag 00: the address signature covers the content up to the padding, and verifiers
 * cut at the first zero byte.
 */
export function buildAddressFile(citizen: Citizen): Buffer {
  const tlv = encodeBelpicTlv([
    { tag: 0x01, value: citizen.address.streetAndNumber },
    { tag: 0x02, value: citizen.address.zip },
    { tag: 0x03, value: citizen.address.municipality },
  ]);
  return zeroPad(tlv, ADDRESS_FILE_SIZE);
}

function writeAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, data, { mode: 0o600 });
  renameSync(tmp, path);
}

/** Generates the material into `dir` (atomically: a temp dir renamed into place). */
export async function generateMaterial(dir: string, opts: MaterialOptions): Promise<void> {
  const { generatePki } = await import('./pki.js');
  const profile = opts.profile;
  const language = opts.language ?? 'fr';
  const citizen: Citizen = { ...defaultCitizen(language), ...opts.citizen };
  const pin = opts.pin ?? DEFAULT_PIN;
  if (!/^\d{4,12}$/.test(pin)) throw new Error('PIN must be 4 to 12 digits');

  const now = new Date();
  const begin = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const end = new Date(Date.UTC(begin.getUTCFullYear() + 10, begin.getUTCMonth(), begin.getUTCDate()));
  const chipSerial = randomBytes(16);
  const card: CardFacts = {
    cardNumber: cardNumberFor(`59${String(randomBytes(4).readUInt32BE(0) % 100_000_000).padStart(8, '0')}`),
    chipSerialHex: chipSerial.toString('hex').toUpperCase(),
    validityBegin: formatCardDate(begin),
    validityEnd: formatCardDate(end),
    deliveringMunicipality: defaultMunicipality(language),
    language,
  };

  const pki = await generatePki({ profile, citizen, notBefore: begin, notAfter: end });
  const photo = generatePhoto();
  const photoHash = createHash(profile === '1.7' ? 'sha1' : 'sha384').update(photo).digest();
  const identity = buildIdentityFile(citizen, card, photoHash);
  const address = buildAddressFile(citizen);
  const rrnKey = createPrivateKey(pki.keys.rrn.privateKeyPem);
  const identitySignature = signIdentity(profile, rrnKey, identity);
  const addressSignature = signAddress(profile, rrnKey, address, identitySignature);

  const manifest: MaterialManifest = {
    formatVersion: 1,
    profile,
    createdAt: now.toISOString(),
    citizen,
    card,
    initialPin: pin,
    rrnSignature: rrnSignatureFormatOf(profile),
  };

  mkdirSync(dirname(dir), { recursive: true });
  const tmp = mkdtempSync(`${dir}.tmp-`);
  try {
    mkdirSync(join(tmp, 'keys'));
    mkdirSync(join(tmp, 'certs'));
    mkdirSync(join(tmp, 'files'));
    for (const [name, k] of Object.entries(pki.keys)) {
      writeFileSync(join(tmp, 'keys', `${name}.key.pem`), k.privateKeyPem, { mode: 0o600 });
      writeFileSync(join(tmp, 'keys', `${name}.pub.pem`), k.publicKeyPem);
    }
    for (const n of CERT_NAMES) {
      const der = pki.certs[n];
      writeFileSync(join(tmp, 'certs', `${n}.der`), der);
      const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
      writeFileSync(join(tmp, 'certs', `${n}.pem`), `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`);
    }
    writeFileSync(join(tmp, 'files', FILE_NAMES.identity), identity);
    writeFileSync(join(tmp, 'files', FILE_NAMES.identitySignature), identitySignature);
    writeFileSync(join(tmp, 'files', FILE_NAMES.address), address);
    writeFileSync(join(tmp, 'files', FILE_NAMES.addressSignature), addressSignature);
    writeFileSync(join(tmp, 'files', FILE_NAMES.photo), photo);
    if (pki.keys.basic) {
      const spki = createPublicKey(pki.keys.basic.publicKeyPem).export({ type: 'spki', format: 'der' });
      writeFileSync(join(tmp, 'files', FILE_NAMES.basicPublicKey), spki);
    }
    const pinState: PinState = { pin, triesLeft: PIN_MAX_TRIES };
    writeFileSync(join(tmp, 'pin-state.json'), JSON.stringify(pinState, null, 2) + '\n', { mode: 0o600 });
    // material.json last: its presence marks complete material.
    writeFileSync(join(tmp, 'material.json'), JSON.stringify(manifest, null, 2) + '\n');
    try {
      renameSync(tmp, dir);
    } catch (err) {
      // Someone else generated it at the same moment: keep theirs.
      if (!materialExists(dir)) throw err;
      rmSync(tmp, { recursive: true, force: true });
    }
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

/** PIN state (pin + tries left), persisted beside the material. */
export function readPinState(dir: string): PinState {
  try {
    const s = JSON.parse(readFileSync(join(dir, 'pin-state.json'), 'utf8')) as PinState;
    if (typeof s.pin === 'string' && typeof s.triesLeft === 'number') return s;
  } catch {
    // fall through
  }
  const manifest = JSON.parse(readFileSync(join(dir, 'material.json'), 'utf8')) as MaterialManifest;
  return { pin: manifest.initialPin, triesLeft: PIN_MAX_TRIES };
}

export function writePinState(dir: string, state: PinState): void {
  writeAtomic(join(dir, 'pin-state.json'), JSON.stringify(state, null, 2) + '\n');
}
