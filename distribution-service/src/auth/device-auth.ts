import type { Clock } from '../clock.js';
import { isoAt } from '../clock.js';
import { DsError } from '../errors.js';
import type { DeviceKey, DeviceKeyCache } from './device-keys.js';
import type { ReplayGuard } from './replay-guard.js';
import { stringToSign, verifySignature } from './signature.js';

export interface SignedRequest {
  method: string;
  path: string;
  deviceId: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
  body: Uint8Array;
}

export interface AuthenticatedDevice {
  deviceId: string;
  orgId: string;
  /** The key that signed this request. */
  signingKey: DeviceKey;
  /** All live keys of the device (for the renewal window of the certificate in use). */
  keys: readonly DeviceKey[];
}

const DEVICE_ID = /^[A-Za-z0-9-]{1,64}$/;
const TIMESTAMP = /^\d{1,15}$/;
const BASE64 = /^[A-Za-z0-9+/]{16,2048}={0,2}$/;

/**
 * Proof of possession: the request must be signed with the key of a certificate the DS
 * issued to this device that has not expired. Throws DsError AUTH_* (all 401).
 */
export class DeviceAuthenticator {
  constructor(
    private readonly keys: DeviceKeyCache,
    private readonly replay: ReplayGuard,
    private readonly clock: Clock,
    private readonly maxSkewMs: number,
  ) {}

  async authenticate(req: SignedRequest): Promise<AuthenticatedDevice> {
    const { deviceId, timestamp, signature } = req;
    if (!deviceId || !DEVICE_ID.test(deviceId)) throw new DsError('AUTH_MISSING', 'X-Device-Id missing or malformed');
    if (!timestamp || !TIMESTAMP.test(timestamp)) throw new DsError('AUTH_MISSING', 'X-Timestamp missing or not Unix milliseconds');
    if (!signature || !BASE64.test(signature)) throw new DsError('AUTH_MISSING', 'X-Signature missing or not base64');

    const now = this.clock.now();
    const ts = Number(timestamp);
    if (Math.abs(now - ts) > this.maxSkewMs) {
      throw new DsError('AUTH_CLOCK_SKEW', `X-Timestamp is more than ${this.maxSkewMs / 1000} s from the DS clock`, { serverTime: isoAt(now) });
    }

    const data = stringToSign(req.method, req.path, timestamp, req.body);
    const sig = Buffer.from(signature, 'base64');
    let entry = await this.keys.get(deviceId);
    let key = entry && this.match(entry.keys, data, sig, now);
    // A miss may be a certificate issued since the cache was filled (e.g. by another instance).
    if (entry && !key) {
      entry = await this.keys.reload(deviceId);
      key = entry && this.match(entry.keys, data, sig, now);
    }
    if (!entry || !entry.keys.some((k) => k.notAfterMs > now)) {
      throw new DsError('AUTH_UNKNOWN_DEVICE', 'unknown device or no valid certificate');
    }
    if (!key) throw new DsError('AUTH_BAD_SIGNATURE', 'the signature does not verify with any valid certificate of this device');
    if (!this.replay.claim(deviceId, ts, now)) {
      throw new DsError('AUTH_REPLAY', 'this X-Timestamp was already used by this device');
    }
    return { deviceId, orgId: entry.orgId, signingKey: key, keys: entry.keys };
  }

  private match(keys: readonly DeviceKey[], data: Buffer, sig: Buffer, now: number): DeviceKey | undefined {
    return keys.find((k) => k.notAfterMs > now && verifySignature(k.key, data, sig));
  }
}
