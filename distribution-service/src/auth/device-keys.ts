import { createPublicKey, type KeyObject } from 'node:crypto';
import type { Clock } from '../clock.js';
import { isoAt } from '../clock.js';
import type { DeviceCertificate, DeviceStore } from '../store/devices.js';

export interface DeviceKey {
  serial: string;
  keyId: string;
  key: KeyObject;
  issuedAtMs: number;
  notAfterMs: number;
}

export interface DeviceKeys {
  deviceId: string;
  orgId: string;
  keys: DeviceKey[];
}

const toKey = (c: DeviceCertificate): DeviceKey => ({
  serial: c.serial,
  keyId: c.keyId,
  key: createPublicKey(c.publicKeyPem),
  issuedAtMs: Date.parse(c.issuedAt),
  notAfterMs: Date.parse(c.notAfter),
});

/**
 * The public keys of each device's live certificates, cached so that verifying a sync costs
 * no database read and no PEM parsing. Issued certificates never change, so the cache can
 * only miss new ones: callers `add` what they issue and `reload` after a failed verification.
 */
export class DeviceKeyCache {
  private readonly entries = new Map<string, DeviceKeys>();

  constructor(
    private readonly devices: DeviceStore,
    private readonly clock: Clock,
    private readonly maxEntries = 100_000,
  ) {}

  async get(deviceId: string): Promise<DeviceKeys | undefined> {
    const hit = this.entries.get(deviceId);
    if (hit) {
      // Refresh recency: Map iteration order doubles as the LRU order.
      this.entries.delete(deviceId);
      this.entries.set(deviceId, hit);
      return hit;
    }
    return this.reload(deviceId);
  }

  async reload(deviceId: string): Promise<DeviceKeys | undefined> {
    const device = await this.devices.findDevice(deviceId);
    if (!device) {
      this.entries.delete(deviceId);
      return undefined;
    }
    const certs = await this.devices.liveCertificates(deviceId, isoAt(this.clock.now()));
    const entry: DeviceKeys = { deviceId, orgId: device.orgId, keys: certs.map(toKey) };
    this.put(entry);
    return entry;
  }

  /** A registration's certificate: the device's keys besides it are re-read at the next miss. */
  add(deviceId: string, orgId: string, cert: DeviceCertificate): void {
    const entry = this.entries.get(deviceId);
    const key = toKey(cert);
    if (entry) entry.keys = [key, ...entry.keys.filter((k) => k.keyId !== key.keyId)];
    else this.put({ deviceId, orgId, keys: [key] });
  }

  /** A renewal: the new certificate and the one that signed it are the device's only live keys. */
  renewed(deviceId: string, orgId: string, cert: DeviceCertificate, signer: DeviceKey): void {
    this.put({ deviceId, orgId, keys: [toKey(cert), signer] });
  }

  private put(entry: DeviceKeys): void {
    this.entries.delete(entry.deviceId);
    this.entries.set(entry.deviceId, entry);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }
}
