import { existsSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { CardError } from '../../card-error.js';
import type { Algorithm, CardModuleId } from '../../card-types.js';
import type { ReaderSource } from '../../reader-types.js';
import { HostClient, locateHostScript, type HostScript } from './host-client.js';
import type { HostCall, HostCertificate, HostLibraryInfo, HostSignResult, HostSlot } from './host-protocol.js';
import type { Pkcs11Library } from './libraries.js';
import { algorithmsFor, signInput, tokenAlgorithm, type KeyType } from './mechanisms.js';

// CKF_* token flags (PKCS#11 v2.40 §3.2).
const CKF_LOGIN_REQUIRED = 0x4;
const CKF_PROTECTED_AUTHENTICATION_PATH = 0x100;
const CKF_TOKEN_INITIALIZED = 0x400;
const CKF_USER_PIN_COUNT_LOW = 0x10000;
const CKF_USER_PIN_FINAL_TRY = 0x20000;
const CKF_USER_PIN_LOCKED = 0x40000;

export interface Pkcs11ServiceOptions {
  /** The libraries to use, asked at every listing (the CLI may change them while the connector runs). */
  libraries: () => Pkcs11Library[];
  /** Bound of one library call in ms (a PIN-pad entry included). @default 30000 */
  callTimeoutMs?: number;
  /**
   * After a library timed out, listings of all libraries skip it (reporting that timeout) for
   * this long, so one hung library does not make every page wait; a call naming it still tries.
   * @default 60000
   */
  timeoutCooldownMs?: number;
  script?: HostScript;
}

/** A token in a library's slot, as the connector shows it. */
export interface Pkcs11Token {
  /** `<library>:<slot id>`. */
  id: string;
  library: string;
  slotId: string;
  slotDescription: string;
  label: string;
  manufacturer: string;
  model: string;
  serialNumber: string;
  loginRequired: boolean;
  protectedAuthenticationPath: boolean;
  /** 0 when the PIN is locked, 1 at the final try; null when the token does not say. */
  pinTriesLeft: number | null;
  pinCountLow: boolean;
  /** The same card served by a card module in a PC/SC reader (e.g. a Belgian eID read through OpenSC). */
  alsoServedBy: { module: CardModuleId; readerId: string; readerName: string } | null;
}

export interface Pkcs11LibraryStatus {
  name: string;
  source: Pkcs11Library['source'];
  info: HostLibraryInfo | null;
  error: CardError | null;
}

export interface TokenCertificate {
  /** CKA_ID in hex: the id of the matching private key; '' when the object has none. */
  keyId: string;
  label: string;
  der: Buffer;
  keyType: KeyType | null;
}

export interface TokenSignRequest {
  keyId: string;
  algorithm: Algorithm;
  hash: Buffer;
  pin: string | null;
  allowLastTry: boolean;
}

const KEY_ID = /^(?:[0-9a-f]{2}){1,128}$/;
// PKCS#11 PINs are UTF-8 text; bounded, and never control characters.
const PIN = /^[^\p{Cc}]{1,64}$/u;

/**
 * The PKCS#11 card module: tokens of every configured library, their certificates and
 * mechanisms, signatures with a certificate's key. Each library runs in its own host process.
 */
export class Pkcs11Service {
  private readonly hosts = new Map<string, HostClient>();
  /** Libraries (by path) whose last call timed out, and when. */
  private readonly timedOut = new Map<string, { at: number; error: CardError }>();
  private script: HostScript | undefined;

  constructor(
    private readonly readers: ReaderSource | undefined,
    private readonly o: Pkcs11ServiceOptions,
  ) {}

  async libraries(): Promise<Pkcs11LibraryStatus[]> {
    return Promise.all(
      this.o.libraries().map(async (l) => {
        const cooling = this.cooling(l);
        if (cooling) return { name: l.name, source: l.source, info: null, error: cooling };
        try {
          return { name: l.name, source: l.source, info: await this.call<HostLibraryInfo>(l, { op: 'info' }), error: null };
        } catch (e) {
          return { name: l.name, source: l.source, info: null, error: asCardError(e) };
        }
      }),
    );
  }

  /**
   * Tokens present in the slots of every library (or of `library` only). A library that
   * fails is left out of the full listing (`libraries()` tells why); asked alone, it throws.
   */
  async tokens(library?: string): Promise<Pkcs11Token[]> {
    const libs = this.o.libraries().filter((l) => library === undefined || l.name === library);
    if (library !== undefined && libs.length === 0) throw new CardError('TOKEN_NOT_FOUND', 'No PKCS#11 library with this name.');
    const lists = await Promise.all(
      libs.map(async (l) => {
        if (library === undefined && this.cooling(l)) return [];
        try {
          const slots = await this.call<HostSlot[]>(l, { op: 'slots' });
          // An uninitialised token (SoftHSM's spare slot, a blank card) has no keys to offer.
          return slots.filter((s) => s.tokenPresent && (s.flags & CKF_TOKEN_INITIALIZED) !== 0).map((s) => this.describe(l.name, s));
        } catch (e) {
          if (library !== undefined) throw e;
          return [];
        }
      }),
    );
    return lists.flat();
  }

  async token(id: string): Promise<Pkcs11Token> {
    const { library, slotId } = this.parseId(id);
    const found = (await this.tokens(library)).find((t) => t.slotId === slotId);
    if (!found) throw new CardError('TOKEN_NOT_PRESENT', 'No token in this slot (removed, or the slot is gone).');
    return found;
  }

  async certificates(tokenId: string): Promise<TokenCertificate[]> {
    const { lib, slotId } = this.resolve(tokenId);
    const certs = await this.call<HostCertificate[]>(lib, { op: 'certificates', slotId });
    return certs.map((c) => {
      const der = Buffer.from(c.der, 'base64');
      return { keyId: c.keyId, label: c.label, der, keyType: keyTypeOf(der) };
    });
  }

  async mechanisms(tokenId: string): Promise<Array<{ id: number; name: string }>> {
    const { lib, slotId } = this.resolve(tokenId);
    return this.call(lib, { op: 'mechanisms', slotId });
  }

  /** The signature algorithms a token offers for a key type (null: for any of its keys). */
  async algorithms(tokenId: string, keyType: KeyType | null): Promise<Algorithm[]> {
    return algorithmsFor(keyType, (await this.mechanisms(tokenId)).map((m) => m.id));
  }

  /** Sign `hash` with the private key whose CKA_ID is `keyId`; returns the raw signature (ECDSA: r||s). */
  async sign(tokenId: string, req: TokenSignRequest): Promise<{ signature: Buffer; certificate: Buffer | null }> {
    const alg = tokenAlgorithm(req.algorithm);
    if (!alg) throw new CardError('ALGORITHM_NOT_SUPPORTED', `${req.algorithm} is not offered for PKCS#11 tokens.`);
    if (req.hash.length !== alg.hashLength) {
      throw new CardError('INVALID_INPUT', `${req.algorithm} needs a ${alg.hashLength}-byte hash, got ${req.hash.length} bytes.`);
    }
    if (!KEY_ID.test(req.keyId)) throw new CardError('INVALID_INPUT', 'keyId must be the certificate\'s keyId (lower-case hex).');
    if (req.pin !== null && !PIN.test(req.pin)) throw new CardError('INVALID_INPUT', 'pin must be 1 to 64 characters without control characters.');
    const { lib, slotId } = this.resolve(tokenId);
    const { mechanism, data } = signInput(alg, req.hash);
    const r = await this.call<HostSignResult>(lib, {
      op: 'sign', slotId, keyId: req.keyId, mechanism, keyType: alg.keyType, data: data.toString('base64'), pin: req.pin, allowLastTry: req.allowLastTry,
    });
    return { signature: Buffer.from(r.signature, 'base64'), certificate: r.certificate ? Buffer.from(r.certificate, 'base64') : null };
  }

  /** The host process of a library, if one runs (tests stop it to make a hung library). */
  hostPid(library: string): number | undefined {
    const l = this.o.libraries().find((x) => x.name === library);
    return l ? this.hosts.get(l.path)?.pid : undefined;
  }

  /** How many host processes a library has had (1 + restarts); 0 before its first call. */
  hostStarts(library: string): number {
    const l = this.o.libraries().find((x) => x.name === library);
    return (l && this.hosts.get(l.path)?.starts) ?? 0;
  }

  async close(): Promise<void> {
    await Promise.all([...this.hosts.values()].map((h) => h.close()));
    this.hosts.clear();
  }

  // --- internals -------------------------------------------------------------------------

  private async call<T>(l: Pkcs11Library, c: HostCall): Promise<T> {
    try {
      const v = await this.host(l).call<T>(c);
      this.timedOut.delete(l.path);
      return v;
    } catch (e) {
      if (e instanceof CardError && e.code === 'PKCS11_TIMEOUT') this.timedOut.set(l.path, { at: Date.now(), error: e });
      throw e;
    }
  }

  /** The timeout a library gave within the cool-down, if any. */
  private cooling(l: Pkcs11Library): CardError | undefined {
    const t = this.timedOut.get(l.path);
    if (!t) return undefined;
    if (Date.now() - t.at < (this.o.timeoutCooldownMs ?? 60_000)) return t.error;
    this.timedOut.delete(l.path);
    return undefined;
  }

  private host(l: Pkcs11Library): HostClient {
    let h = this.hosts.get(l.path);
    if (!h) {
      // Checked here, so a missing file is told as such rather than as a loader failure.
      if (!existsSync(l.path)) throw new CardError('PKCS11_LIBRARY_ERROR', `The PKCS#11 library "${l.name}" is configured but its file does not exist.`);
      this.script ??= this.o.script ?? locateHostScript();
      h = new HostClient({ libraryPath: l.path, script: this.script, callTimeoutMs: this.o.callTimeoutMs ?? 30_000 });
      this.hosts.set(l.path, h);
    }
    return h;
  }

  private parseId(id: string): { library: string; slotId: string } {
    const m = /^([A-Za-z0-9][A-Za-z0-9._-]{0,63}):(\d{1,20})$/.exec(id);
    if (!m) throw new CardError('INVALID_INPUT', 'A token id looks like <library>:<slot id>.');
    return { library: m[1]!, slotId: m[2]! };
  }

  private resolve(tokenId: string): { lib: Pkcs11Library; slotId: string } {
    const { library, slotId } = this.parseId(tokenId);
    const lib = this.o.libraries().find((l) => l.name === library);
    if (!lib) throw new CardError('TOKEN_NOT_FOUND', 'No PKCS#11 library with this name.');
    return { lib, slotId };
  }

  private describe(library: string, s: HostSlot): Pkcs11Token {
    const f = s.flags;
    return {
      id: `${library}:${s.slotId}`,
      library,
      slotId: s.slotId,
      slotDescription: s.slotDescription,
      label: s.label,
      manufacturer: s.manufacturer,
      model: s.model,
      serialNumber: s.serialNumber,
      loginRequired: (f & CKF_LOGIN_REQUIRED) !== 0,
      protectedAuthenticationPath: (f & CKF_PROTECTED_AUTHENTICATION_PATH) !== 0,
      pinTriesLeft: f & CKF_USER_PIN_LOCKED ? 0 : f & CKF_USER_PIN_FINAL_TRY ? 1 : null,
      pinCountLow: (f & CKF_USER_PIN_COUNT_LOW) !== 0,
      alsoServedBy: this.servedBy(s.slotDescription),
    };
  }

  /**
   * OpenSC names a PC/SC slot after its reader: when that reader holds a card a module
   * claims (BEID), the token is the same card, served natively there.
   */
  private servedBy(slotDescription: string): Pkcs11Token['alsoServedBy'] {
    if (!this.readers?.available()) return null;
    for (const r of this.readers.list()) {
      if (!r.card || r.card.module === 'UNKNOWN' || r.card.module === 'PKCS11') continue;
      if (slotDescription === r.name || slotDescription.startsWith(`${r.name} `)) return { module: r.card.module, readerId: r.id, readerName: r.name };
    }
    return null;
  }
}

function keyTypeOf(der: Buffer): KeyType | null {
  try {
    const t = new X509Certificate(der).publicKey.asymmetricKeyType;
    return t === 'rsa' || t === 'rsa-pss' ? 'RSA' : t === 'ec' ? 'EC' : null;
  } catch {
    return null;
  }
}

function asCardError(e: unknown): CardError {
  return e instanceof CardError ? e : new CardError('PKCS11_LIBRARY_ERROR', 'The PKCS#11 library failed.');
}
