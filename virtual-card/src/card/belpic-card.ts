import { createHash } from 'node:crypto';
import { AID_APPLET, KEY_REF_AUTH, KEY_REF_BASIC, KEY_REF_NON_REPUDIATION } from '../material/pkcs15.js';
import { loadMaterial, readPinState, writePinState, type CardMaterial } from '../material/store.js';
import { PIN_MAX_TRIES, type PinState, type Profile } from '../material/types.js';
import { MalformedApdu, parseApdu, response, SW, type CommandApdu } from './apdu.js';
import { buildFileSystem, type CardFileSystem, type CardNode, type Tamper } from './filesystem.js';
import { MisbehaviourPlan, type Misbehaviour, type PlannedReply } from './misbehaviour.js';
import { algorithmsOf, cardSign, ecdsaSignHash, inputLengthOk, type AlgorithmInfo } from './signing.js';

export const ATR_17 = Buffer.from('3B9813400AA503010101AD1311', 'hex');
export const ATR_18 = Buffer.from('3B7F96000080318065B085040120120FFF829000', 'hex');

export function atrOf(profile: Profile): Buffer {
  return Buffer.from(profile === '1.7' ? ATR_17 : ATR_18);
}

export type { Tamper } from './filesystem.js';

export interface BelpicCardOptions {
  /** Loaded material (see ensureMaterial / loadMaterial). */
  material: CardMaterial;
  /** Deliberately broken ID files (integrity failures for tests). */
  tamper?: Tamper;
  /**
   * After this many APDUs the card counts as pulled out: the transport closes (vpcd) and
   * further transmits throw CardRemovedError.
   */
  removeAfterApdus?: number;
  /** Start with this many PIN tries left (persisted like any PIN state change). */
  pinTries?: number;
  /** Keep PIN and retry counter in the material directory (default true). */
  persistPin?: boolean;
  /**
   * READ BINARY with Le larger than what is left: 'short' (default) answers the remaining
   * bytes with 9000; '6Cxx' answers 6Cxx (xx = bytes left) like some real cards.
   */
  readBinaryOverrun?: 'short' | '6Cxx';
  /** Misbehaviours armed from the start (more with `misbehave()`). */
  misbehave?: Misbehaviour[];
}

export class CardRemovedError extends Error {
  constructor() {
    super('card removed');
    this.name = 'CardRemovedError';
  }
}

export class CardPoweredOffError extends Error {
  constructor() {
    super('card is powered off');
    this.name = 'CardPoweredOffError';
  }
}

/** Card data bytes 16..27 after the chip serial (see GET CARD DATA in belpic.md). */
function cardDataTail(profile: Profile): number[] {
  const applet = profile === '1.7' ? 0x17 : 0x18;
  // component code, OS number, OS version, softmask number, softmask version, applet
  // version, global OS version (2), applet interface version, PKCS#1 support, key
  // exchange version, life cycle (0F = issued).
  return [0xd0, 0x01, 0x29, 0x01, 0x17, applet, 0x00, 0x03, 0x01, 0x01, 0x01, 0x0f];
}

/**
 * A software BELPIC card. `transmit` is synchronous and answers R-APDUs exactly as the
 * card would (data ‖ SW1 SW2, never 61xx).
 */
export class BelpicCard {
  readonly atr: Buffer;
  readonly profile: Profile;
  readonly material: CardMaterial;
  readonly options: Readonly<Omit<BelpicCardOptions, 'material'>>;
  /** Number of APDUs answered since construction (benchmarks). */
  apduCount = 0;

  private readonly fs: CardFileSystem;
  private readonly algorithms: readonly AlgorithmInfo[];
  private pinState: PinState;
  private powered = true;
  private removedFlag = false;
  private readonly removeListeners = new Set<() => void>();
  private readonly plan = new MisbehaviourPlan();
  /** Warm resets and power-ons since construction (tests count what a reset costs). */
  resetCount = 0;

  private currentDf!: CardNode;
  private currentEf: CardNode | undefined;
  private pinVerified = false;
  /** apduCount value of the last successful VERIFY that still allows one NR signature. */
  private nrVerifyAt: number | undefined;
  private mse: { alg: AlgorithmInfo; keyRef: number } | undefined;

  constructor(opts: BelpicCardOptions) {
    const { material, ...rest } = opts;
    this.material = material;
    this.options = rest;
    this.profile = material.profile;
    this.atr = atrOf(this.profile);
    this.fs = buildFileSystem(material, opts.tamper);
    this.algorithms = algorithmsOf(this.profile);
    this.pinState = opts.persistPin === false
      ? { pin: material.manifest.initialPin, triesLeft: PIN_MAX_TRIES }
      : readPinState(material.dir);
    if (opts.pinTries !== undefined) {
      if (!Number.isInteger(opts.pinTries) || opts.pinTries < 0 || opts.pinTries > PIN_MAX_TRIES) {
        throw new RangeError(`pinTries must be 0..${PIN_MAX_TRIES}`);
      }
      this.pinState = { ...this.pinState, triesLeft: opts.pinTries };
      this.savePin();
    }
    for (const m of opts.misbehave ?? []) this.plan.arm(m);
    this.resetState();
  }

  /** Loads material from a directory (see materialDir) and builds a card. */
  static fromDir(dir: string, opts: Omit<BelpicCardOptions, 'material'> = {}): BelpicCard {
    return new BelpicCard({ ...opts, material: loadMaterial(dir) });
  }

  get removed(): boolean {
    return this.removedFlag;
  }

  get isPowered(): boolean {
    return this.powered;
  }

  /** Whether the card holds a verified PIN now (a reset, power-off or LOG OFF clears it). */
  get pinVerifiedNow(): boolean {
    return this.pinVerified;
  }

  /** PIN tries left (3 when unused, 0 when blocked). */
  get pinTriesLeft(): number {
    return this.pinState.triesLeft;
  }

  /** Called once when the card counts as removed (removeAfterApdus reached or remove()). */
  onRemoved(listener: () => void): () => void {
    this.removeListeners.add(listener);
    return () => this.removeListeners.delete(listener);
  }

  /** Marks the card as pulled out; listeners run on the next microtask. */
  remove(): void {
    if (this.removedFlag) return;
    this.removedFlag = true;
    this.powered = false;
    queueMicrotask(() => {
      for (const l of this.removeListeners) l();
    });
  }

  powerOn(): Buffer {
    if (this.removedFlag) throw new CardRemovedError();
    this.powered = true;
    this.resetCount++;
    this.resetState();
    return Buffer.from(this.atr);
  }

  powerOff(): void {
    this.powered = false;
    this.resetState();
  }

  /** Warm reset: security state cleared, applet (MF) selected. */
  reset(): Buffer {
    return this.powerOn();
  }

  /** Back to the issued PIN with all tries (tests). */
  resetPin(): void {
    this.pinState = { pin: this.material.manifest.initialPin, triesLeft: PIN_MAX_TRIES };
    this.savePin();
  }

  private resetState(): void {
    this.currentDf = this.fs.mf;
    this.currentEf = undefined;
    this.pinVerified = false;
    this.nrVerifyAt = undefined;
    this.mse = undefined;
  }

  private savePin(): void {
    if (this.options.persistPin !== false) writePinState(this.material.dir, this.pinState);
  }

  /**
   * Arm a misbehaviour for the next matching APDUs (see Misbehaviour). Through `transmit`
   * (in-process) a `hang` answers at once; the vpcd transport holds the answer back.
   */
  misbehave(m: Misbehaviour): void {
    this.plan.arm(m);
  }

  /** Disarm every misbehaviour not yet spent. */
  behave(): void {
    this.plan.clear();
  }

  /** The answer to `apdu` as a transport should send it (misbehaviours applied). */
  respond(apdu: Uint8Array): PlannedReply {
    return this.plan.apply(apdu, this.transmitProper(apdu));
  }

  transmit(apdu: Uint8Array): Buffer {
    return this.respond(apdu).reply;
  }

  private transmitProper(apdu: Uint8Array): Buffer {
    if (this.removedFlag) throw new CardRemovedError();
    if (!this.powered) throw new CardPoweredOffError();
    this.apduCount++;
    let reply: Buffer;
    try {
      reply = this.dispatch(parseApdu(apdu));
    } catch (err) {
      if (!(err instanceof MalformedApdu)) throw err;
      reply = response(SW.WRONG_LENGTH);
    }
    const limit = this.options.removeAfterApdus;
    if (limit !== undefined && this.apduCount >= limit) {
      // The reply to this APDU still goes out; the card is gone right after.
      this.remove();
    }
    return reply;
  }

  private dispatch(c: CommandApdu): Buffer {
    if (c.cla === 0x00) {
      switch (c.ins) {
        case 0xa4:
          return this.select(c);
        case 0xb0:
          return this.readBinary(c);
        case 0x20:
          return this.verify(c);
        case 0x24:
          return this.changePin(c);
        case 0x22:
          return this.manageSecurityEnvironment(c);
        case 0x2a:
          return this.performSignature(c);
        case 0x88:
          return this.internalAuthenticate(c);
        case 0xc0:
          // Nothing is ever pending: the card answers directly (T=1 behaviour).
          return response(SW.CONDITIONS_NOT_SATISFIED);
        default:
          return response(SW.INS_NOT_SUPPORTED);
      }
    }
    if (c.cla === 0x80) {
      switch (c.ins) {
        case 0xe4:
          return this.getCardData(c);
        case 0xe6:
          return this.logOff(c);
        default:
          return response(SW.INS_NOT_SUPPORTED);
      }
    }
    return response(SW.CLA_NOT_SUPPORTED);
  }

  // ---- file system -------------------------------------------------------------------

  private select(c: CommandApdu): Buffer {
    if (![0x00, 0x04, 0x0c].includes(c.p2)) return response(SW.INCORRECT_P1P2);
    const d = c.data;
    let node: CardNode | undefined;
    switch (c.p1) {
      case 0x00:
      case 0x02: {
        if (d.length !== 2) return response(SW.WRONG_LENGTH);
        const fid = d.readUInt16BE(0);
        if (fid === 0x3f00) node = this.fs.mf;
        else node = this.currentDf.children.get(fid) ?? (c.p1 === 0x00 ? this.currentDf.parent?.children.get(fid) : undefined);
        if (c.p1 === 0x02 && node && node.kind !== 'EF') node = undefined;
        break;
      }
      case 0x08: {
        if (d.length === 0 || d.length % 2 !== 0) return response(SW.WRONG_LENGTH);
        let hex = d.toString('hex').toUpperCase();
        if (!hex.startsWith('3F00')) hex = '3F00' + hex;
        node = this.fs.byPath.get(hex);
        break;
      }
      case 0x04: {
        if (d.length === 0) return response(SW.WRONG_LENGTH);
        if (d.equals(AID_APPLET)) node = this.fs.mf;
        else node = this.fs.byAid.get(d.toString('hex'));
        break;
      }
      default:
        return response(SW.INCORRECT_P1P2);
    }
    if (!node) return response(SW.FILE_NOT_FOUND);
    if (node.kind === 'EF') {
      this.currentDf = node.parent ?? this.fs.mf;
      this.currentEf = node;
    } else {
      this.currentDf = node;
      this.currentEf = undefined;
    }
    // The card returns no FCI.
    return response(SW.OK);
  }

  private readBinary(c: CommandApdu): Buffer {
    if (c.hasData) return response(SW.WRONG_LENGTH);
    if (c.p1 & 0x80) return response(SW.FUNC_NOT_SUPPORTED);
    const ef = this.currentEf;
    if (!ef || !ef.data) return response(SW.NO_CURRENT_EF);
    const offset = (c.p1 << 8) | c.p2;
    const size = ef.data.length;
    if (offset >= size) return response(SW.OFFSET_OUTSIDE_EF);
    const le = c.le ?? 256;
    const left = size - offset;
    if (le > left && this.options.readBinaryOverrun === '6Cxx') return response(0x6c00 | Math.min(left, 0xff));
    return response(SW.OK, ef.data.subarray(offset, offset + Math.min(le, left)));
  }

  // ---- PIN ---------------------------------------------------------------------------

  /** Decodes a format-2 PIN block (2L d1d2 … FF); undefined when malformed. */
  private static decodePinBlock(block: Buffer): string | undefined {
    if (block.length !== 8) return undefined;
    const control = block[0]!;
    if (control >> 4 !== 0x2) return undefined;
    const len = control & 0x0f;
    if (len < 4 || len > 12) return undefined;
    let pin = '';
    for (let i = 0; i < 14; i++) {
      const byte = block[1 + (i >> 1)]!;
      const nibble = i % 2 === 0 ? byte >> 4 : byte & 0x0f;
      if (i < len) {
        if (nibble > 9) return undefined;
        pin += String(nibble);
      } else if (nibble !== 0x0f) {
        return undefined;
      }
    }
    return pin;
  }

  private triesStatus(): Buffer {
    return this.pinState.triesLeft === 0 ? response(SW.AUTH_BLOCKED) : response(0x63c0 | this.pinState.triesLeft);
  }

  /** Checks a PIN, updating counters; returns the reply on failure, undefined on success. */
  private checkPin(candidate: string): Buffer | undefined {
    if (this.pinState.triesLeft === 0) return response(SW.AUTH_BLOCKED);
    if (candidate !== this.pinState.pin) {
      this.pinState = { ...this.pinState, triesLeft: this.pinState.triesLeft - 1 };
      this.savePin();
      this.pinVerified = false;
      this.nrVerifyAt = undefined;
      return response(0x63c0 | this.pinState.triesLeft);
    }
    if (this.pinState.triesLeft !== PIN_MAX_TRIES) {
      this.pinState = { ...this.pinState, triesLeft: PIN_MAX_TRIES };
      this.savePin();
    }
    return undefined;
  }

  private verify(c: CommandApdu): Buffer {
    if (c.p1 !== 0x00) return response(SW.INCORRECT_P1P2);
    if (c.p2 !== 0x01) return response(SW.REF_DATA_NOT_FOUND);
    if (!c.hasData) {
      // Applet 1.8 reports the retry counter without spending a try.
      return this.profile === '1.8' ? this.triesStatus() : response(SW.WRONG_LENGTH);
    }
    if (c.data.length !== 8) return response(SW.WRONG_LENGTH);
    const pin = BelpicCard.decodePinBlock(c.data);
    if (this.pinState.triesLeft === 0) return response(SW.AUTH_BLOCKED);
    if (pin === undefined) return response(SW.WRONG_DATA);
    const fail = this.checkPin(pin);
    if (fail) return fail;
    this.pinVerified = true;
    this.nrVerifyAt = this.apduCount;
    return response(SW.OK);
  }

  private changePin(c: CommandApdu): Buffer {
    if (c.p1 !== 0x00) return response(SW.INCORRECT_P1P2);
    if (c.p2 !== 0x01) return response(SW.REF_DATA_NOT_FOUND);
    if (c.data.length !== 16) return response(SW.WRONG_LENGTH);
    if (this.pinState.triesLeft === 0) return response(SW.AUTH_BLOCKED);
    const oldPin = BelpicCard.decodePinBlock(c.data.subarray(0, 8));
    const newPin = BelpicCard.decodePinBlock(c.data.subarray(8, 16));
    if (oldPin === undefined || newPin === undefined) return response(SW.WRONG_DATA);
    const fail = this.checkPin(oldPin);
    if (fail) return fail;
    this.pinState = { pin: newPin, triesLeft: PIN_MAX_TRIES };
    this.savePin();
    this.pinVerified = true;
    this.nrVerifyAt = undefined;
    return response(SW.OK);
  }

  private logOff(c: CommandApdu): Buffer {
    if (c.p1 !== 0x00 || c.p2 !== 0x00) return response(SW.INCORRECT_P1P2);
    this.pinVerified = false;
    this.nrVerifyAt = undefined;
    return response(SW.OK);
  }

  // ---- signatures --------------------------------------------------------------------

  private manageSecurityEnvironment(c: CommandApdu): Buffer {
    if (c.p1 !== 0x41 || c.p2 !== 0xb6) return response(SW.INCORRECT_P1P2);
    const d = c.data;
    if (d.length !== 5 || d[0] !== 0x04 || d[1] !== 0x80 || d[3] !== 0x84) return response(SW.WRONG_DATA);
    const alg = this.algorithms.find((a) => a.ref === d[2]);
    if (!alg) return response(SW.WRONG_DATA);
    const keyRef = d[4]!;
    if (keyRef !== KEY_REF_AUTH && keyRef !== KEY_REF_NON_REPUDIATION) return response(SW.REF_DATA_NOT_FOUND);
    this.mse = { alg, keyRef };
    return response(SW.OK);
  }

  private performSignature(c: CommandApdu): Buffer {
    if (c.p1 !== 0x9e || c.p2 !== 0x9a) return response(SW.INCORRECT_P1P2);
    const mse = this.mse;
    if (!mse) return response(SW.CONDITIONS_NOT_SATISFIED);
    if (mse.keyRef === KEY_REF_NON_REPUDIATION) {
      // VERIFY, at most one command (the MSE) in between, then this PSO.
      const at = this.nrVerifyAt;
      if (at === undefined || this.apduCount - at > 2) return response(SW.SECURITY_NOT_SATISFIED);
    } else if (!this.pinVerified) {
      return response(SW.SECURITY_NOT_SATISFIED);
    }
    if (!inputLengthOk(mse.alg, c.data.length)) return response(SW.WRONG_DATA);
    const key = mse.keyRef === KEY_REF_AUTH ? this.material.keys.auth : this.material.keys.nonRepudiation;
    const signature = cardSign(mse.alg, key, c.data);
    if (mse.keyRef === KEY_REF_NON_REPUDIATION) this.nrVerifyAt = undefined;
    return response(SW.OK, signature);
  }

  /** Applet 1.8: `00 88 02 81 Lc 94 len challenge` → ECDSA P-384 (r‖s) over SHA-384(challenge). */
  private internalAuthenticate(c: CommandApdu): Buffer {
    const basic = this.material.keys.basic;
    if (this.profile !== '1.8' || !basic) return response(SW.INS_NOT_SUPPORTED);
    if (c.p1 !== 0x02 || c.p2 !== KEY_REF_BASIC) return response(SW.INCORRECT_P1P2);
    const d = c.data;
    if (d.length < 3 || d[0] !== 0x94 || d[1] !== d.length - 2) return response(SW.WRONG_DATA);
    const challenge = d.subarray(2);
    return response(SW.OK, ecdsaSignHash(basic, createHash('sha384').update(challenge).digest()));
  }

  private getCardData(c: CommandApdu): Buffer {
    if (c.p1 !== 0x00 || (c.p2 !== 0x00 && !(c.p2 === 0x01 && this.profile === '1.8'))) {
      return response(SW.INCORRECT_P1P2);
    }
    const data = Buffer.from([...this.material.chipSerial, ...cardDataTail(this.profile)]);
    // P2=01 (applet 1.8): PIN tries left appended, then the maximum and a reserved byte.
    const out = c.p2 === 0x01 ? Buffer.concat([data, Buffer.from([this.pinState.triesLeft, PIN_MAX_TRIES, 0x00])]) : data;
    if (c.le !== undefined && c.le !== 256 && c.le !== out.length) return response(0x6c00 | out.length);
    return response(SW.OK, out);
  }
}
