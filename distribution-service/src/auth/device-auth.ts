import type { Clock } from '../clock.js';
import { isoAt } from '../clock.js';
import { DsError } from '../errors.js';
import type { DeviceKey, DeviceKeyCache, DeviceKeys } from './device-keys.js';
import type { ReplayGuard } from './replay-guard.js';
import { DEVICE_ID_RE, KEY_ID_RE, SIGNATURE_RE, stringToSign, TIMESTAMP_RE } from '@cardlink/ds-protocol';
import { verifySignature } from './signature.js';

export interface SignedRequest {
  method: string;
  path: string;
  deviceId: string | undefined;
  /** X-Key-Id: hex SHA-256 of the signing key's SubjectPublicKeyInfo (optional for old clients). */
  keyId: string | undefined;
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
  /** X-Timestamp (ms): with the device id, the request's identity for the persistent replay check. */
  timestamp: number;
  /** Until when (ms) that identity must be remembered: after it the timestamp is refused as stale. */
  replayUntil: number;
}


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
    const { deviceId, keyId, timestamp, signature } = req;
    if (!deviceId || !DEVICE_ID_RE.test(deviceId)) throw new DsError('AUTH_MISSING', 'X-Device-Id missing or malformed');
    if (keyId !== undefined && !KEY_ID_RE.test(keyId)) throw new DsError('AUTH_MISSING', 'X-Key-Id is not 64 lowercase hex digits');
    if (!timestamp || !TIMESTAMP_RE.test(timestamp)) throw new DsError('AUTH_MISSING', 'X-Timestamp missing or not Unix milliseconds');
    if (!signature || !SIGNATURE_RE.test(signature)) throw new DsError('AUTH_MISSING', 'X-Signature missing or not base64');

    const now = this.clock.now();
    const ts = Number(timestamp);
    if (Math.abs(now - ts) > this.maxSkewMs) {
      throw new DsError('AUTH_CLOCK_SKEW', `X-Timestamp is more than ${this.maxSkewMs / 1000} s from the DS clock`, { serverTime: isoAt(now) });
    }

    const data = stringToSign(req.method, req.path, timestamp, req.body);
    const sig = Buffer.from(signature, 'base64');
    // With a key id, one verification; without (older clients), each live key (at most two).
    const candidates = (e: DeviceKeys | undefined) => (e?.keys ?? []).filter((k) => k.notAfterMs > now && (keyId === undefined || k.keyId === keyId));
    const verified = (e: DeviceKeys | undefined) => candidates(e).find((k) => verifySignature(k.key, data, sig));
    let entry = await this.keys.get(deviceId);
    let key = verified(entry);
    // A miss may be a certificate issued since the cache was filled (e.g. by another instance).
    // A named key that is cached is not re-read: a bad signature over it costs one verification.
    if (entry && !key && (keyId === undefined || candidates(entry).length === 0)) {
      entry = await this.keys.reload(deviceId);
      key = verified(entry);
    }
    if (!entry || !entry.keys.some((k) => k.notAfterMs > now)) {
      throw new DsError('AUTH_UNKNOWN_DEVICE', 'unknown device or no valid certificate');
    }
    if (!key) {
      throw new DsError('AUTH_BAD_SIGNATURE', keyId === undefined
        ? 'the signature does not verify with any valid certificate of this device'
        : 'the signature does not verify with the named key, or no valid certificate of this device has it');
    }
    if (!this.replay.claim(deviceId, ts, now)) {
      throw new DsError('AUTH_REPLAY', 'this X-Timestamp was already used by this device');
    }
    return { deviceId, orgId: entry.orgId, signingKey: key, keys: entry.keys, timestamp: ts, replayUntil: ts + this.maxSkewMs };
  }
}
