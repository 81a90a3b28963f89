export interface InstallToken {
  id: string;
  orgId: string;
  tokenHash: string;
  createdAt: string;
  expiresAt: string | null;
  maxUses: number | null;
  uses: number;
}

export interface Device {
  id: string;
  orgId: string;
  registeredAt: string;
  version: string | null;
  os: string | null;
  uptimeSeconds: number | null;
  lastError: string | null;
  lastSyncAt: string | null;
  certSerial: string | null;
  certNotAfter: string | null;
  /** The CORS list version the device said it held at its last sync (null: none or never said). */
  corsVersionReported: number | null;
  /** The CORS list version the DS's last answer (sync or registration) gave it. */
  corsVersionSent: number | null;
  /** The configuration version the DS's last answer gave it. */
  configVersionSent: number | null;
  /** The cycle the device keeps after the DS's last answer: its status is judged against it. */
  nextSyncAfterSeconds: number | null;
  /** Whether its last sync carried `updateStatus` (it can take updates); null: never synced. */
  canUpdate: boolean | null;
}

export interface DeviceCertificate {
  serial: string;
  deviceId: string;
  /** Hex SHA-256 of the SubjectPublicKeyInfo DER: finds a device by key. */
  keyId: string;
  /** SubjectPublicKeyInfo PEM: verifies the device's request signatures. */
  publicKeyPem: string;
  certificatePem: string;
  issuedAt: string;
  notBefore: string;
  notAfter: string;
}

export interface NewDevice {
  device: {
    id: string;
    orgId: string;
    registeredAt: string;
    version: string;
    os: string;
    corsVersionSent: number;
    configVersionSent: number;
    nextSyncAfterSeconds: number;
  };
  certificate: DeviceCertificate;
  /** The install token whose use this registration consumes. */
  tokenId: string;
}

/** Install tokens, devices and their certificates (registration and device authentication). */
export interface DeviceStore {
  createInstallToken(token: InstallToken): Promise<void>;
  findInstallTokenByHash(tokenHash: string): Promise<InstallToken | undefined>;
  /**
   * Atomically: consume one use of the token (only if uses remain), create the device and
   * store its first certificate. False when the token had no use left (a racing registration).
   */
  registerDevice(input: NewDevice): Promise<boolean>;
  findDevice(id: string): Promise<Device | undefined>;
  /** Ordered by registration time. */
  listDevices(orgId?: string): Promise<Device[]>;
  findDeviceIdByKey(keyId: string): Promise<string | undefined>;
  /** Stores a certificate (a repeated registration) and retires the device's others for the same key. */
  addCertificate(cert: DeviceCertificate): Promise<void>;
  /** Certificates of the device with notAfter > at that are not retired, newest first. */
  liveCertificates(deviceId: string, at: string): Promise<DeviceCertificate[]>;
  findCertificate(serial: string): Promise<DeviceCertificate | undefined>;
}
