import { checkCsr } from '../ca/csr.js';
import { normaliseSerial } from '../ca/serial.js';
import type { AuthenticatedDevice } from '../auth/device-auth.js';
import type { DeviceKey } from '../auth/device-keys.js';
import { isoAt } from '../clock.js';
import type { SyncRequest } from '@cardlink/ds-protocol';
import { DsError, type DsErrorCode } from '../errors.js';
import type { DeviceCertificate } from '../store/repository.js';
import type { ServiceContext } from './context.js';
import { configView, corsView, nextSyncAfterSeconds, renewalWindow, type ConfigView, type CorsView, type RenewalWindow } from './device-view.js';
import { requireOrganisation } from './organisations.js';

/** The sync request body, already schema-validated (the update status is handled apart). */
export type SyncInput = Omit<SyncRequest, 'updateStatus'> & {
  /** Whether the request carried `updateStatus` (the connector can take updates). */
  canUpdate?: boolean;
};

export interface SyncResult {
  ack: string[];
  cors: CorsView;
  config: ConfigView;
  certificate?: { pem: string; caChain: string[]; serial: string; notAfter: string };
  certificateError?: { code: DsErrorCode; message: string };
  renewal?: RenewalWindow;
  nextSyncAfterSeconds: number;
  serverTime: string;
  /** Not on the wire. */
  issued?: DeviceCertificate;
  inserted: number;
}

/**
 * One sync: store the batch (de-duplicated on (device, id)) and the device status in one DB
 * transaction, sign a renewal CSR if one came, and answer with what the device should hold.
 * A refused CSR does not fail the sync: the transactions still count.
 */
export async function syncDevice(ctx: ServiceContext, device: AuthenticatedDevice, input: SyncInput): Promise<SyncResult> {
  const now = ctx.clock.now();
  const receivedAt = isoAt(now);
  const org = await requireOrganisation(ctx, device.orgId);

  let issued: DeviceCertificate | undefined;
  let certificateError: SyncResult['certificateError'];
  if (input.csr !== undefined) {
    const renewal = renew(ctx, device, input.csr);
    if (renewal instanceof DsError) certificateError = { code: renewal.code, message: renewal.message };
    else issued = renewal;
  }

  // Normalised to UTC so reports compare and group times as plain strings.
  const transactions = input.transactions.map((t, i) => ({ ...t, occurredAt: utc(t.occurredAt, `transactions/${i}/occurredAt`) }));
  const certNotAfter = utc(input.certificate.notAfter, 'certificate/notAfter');
  const inserted = await ctx.repo.transactions.recordSync({
    deviceId: device.deviceId,
    orgId: device.orgId,
    receivedAt,
    status: {
      version: input.version,
      os: input.os,
      uptimeSeconds: input.uptimeSeconds,
      lastError: input.lastError,
      certSerial: normaliseSerial(input.certificate.serial),
      certNotAfter,
      lastSyncAt: receivedAt,
      corsVersionReported: input.corsVersion ?? null,
      // What this answer gives the device: `org` was read before the write, as corsView uses it.
      corsVersionSent: org.corsVersion,
      configVersionSent: org.configVersion,
      // The cycle the device will keep after this answer: the organisation's override wins on
      // the connector, then its own explicit --ds.cycle, then this answer's hint.
      nextSyncAfterSeconds: org.dsCycleSeconds ?? input.cycleSeconds ?? nextSyncAfterSeconds(ctx, org),
      canUpdate: input.canUpdate === true,
    },
    transactions,
    // The renewing device keeps the certificate it signed with (in case this answer is lost).
    ...(issued ? { certificate: issued, retainSerial: device.signingKey.serial } : {}),
    request: { timestamp: device.timestamp, expiresAt: device.replayUntil },
  });

  const ack = [...new Set(input.transactions.map((t) => t.id))];
  const result: SyncResult = {
    ack,
    cors: await corsView(ctx, org, input.corsVersion),
    config: configView(org),
    nextSyncAfterSeconds: nextSyncAfterSeconds(ctx, org),
    serverTime: receivedAt,
    inserted,
  };
  if (issued) {
    result.certificate = { pem: issued.certificatePem, caChain: [...(ctx.authority?.caChain ?? [])], serial: issued.serial, notAfter: issued.notAfter };
    result.issued = issued;
    result.renewal = renewalWindow(Date.parse(issued.issuedAt), Date.parse(issued.notAfter));
  } else {
    const serial = normaliseSerial(input.certificate.serial);
    const current = device.keys.find((k) => k.serial === serial);
    if (current) result.renewal = renewalWindow(current.issuedAtMs, current.notAfterMs);
  }
  if (certificateError) result.certificateError = certificateError;
  return result;
}

/**
 * The schema's date-time format admits times JavaScript cannot represent (leap second :60);
 * those are refused as invalid input rather than failing the sync with a 500.
 */
function utc(value: string, field: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new DsError('INVALID_REQUEST', `body/${field} is not a representable time`);
  return new Date(ms).toISOString();
}

/**
 * Renewals only from the signing certificate's renewal window on (PROTOCOL.md): a device gets
 * a new certificate about once per 2/3 of a lifetime, however often it asks. The window may
 * open up to min(clock-skew allowance, lifetime / 20) early for a device clock that runs ahead.
 * Returns true, or the ISO time the window opens.
 */
function renewalDue(ctx: ServiceContext, signer: DeviceKey, now: number): true | string {
  const life = signer.notAfterMs - signer.issuedAtMs;
  const early = Math.min(ctx.config.maxClockSkewSeconds * 1000, life / 20);
  const start = Date.parse(renewalWindow(signer.issuedAtMs, signer.notAfterMs).windowStart);
  return now >= start - early ? true : isoAt(start);
}

function renew(ctx: ServiceContext, device: AuthenticatedDevice, pem: string): DeviceCertificate | DsError {
  if (!ctx.authority) return new DsError('INTERNAL', 'this DS has no certificate authority');
  const csr = checkCsr(pem);
  if (!csr.ok) return csr.error;
  // A renewal must rotate the key: re-certifying the signing key would defeat the point.
  if (csr.value.keyId === device.signingKey.keyId) return new DsError('CSR_KEY_REUSED', 'the CSR key is the key that signed this request');
  const due = renewalDue(ctx, device.signingKey, ctx.clock.now());
  if (due !== true) {
    return new DsError('RENEWAL_NOT_DUE', 'the certificate that signed this request is not in its renewal window yet', { windowStart: due });
  }
  const cert = ctx.authority.issue(csr.value);
  return {
    serial: cert.serial,
    deviceId: device.deviceId,
    keyId: csr.value.keyId,
    publicKeyPem: csr.value.publicKeyPem,
    certificatePem: cert.pem,
    issuedAt: cert.issuedAt,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
  };
}
