import type { RegisterRequest } from '@cardlink/ds-protocol';
import { randomUUID } from 'node:crypto';
import { checkCsr } from '../ca/csr.js';
import { isoAt } from '../clock.js';
import { DsError } from '../errors.js';
import type { DeviceCertificate } from '../store/repository.js';
import type { ServiceContext } from './context.js';
import { configView, corsView, nextSyncAfterSeconds, renewalWindow, type ConfigView, type CorsView, type RenewalWindow } from './device-view.js';
import { requireOrganisation } from './organisations.js';
import { resolveInstallToken } from './tokens.js';

/** The register request body, already schema-validated. */
export type RegisterInput = RegisterRequest;

export interface RegisterResult {
  deviceId: string;
  certificate: string;
  caChain: string[];
  notAfter: string;
  serial: string;
  renewal: RenewalWindow;
  config: ConfigView;
  cors: CorsView;
  nextSyncAfterSeconds: number;
  serverTime: string;
  /** Not on the wire: lets the HTTP layer warm the key cache. */
  issued: DeviceCertificate;
  orgId: string;
}

/**
 * Install token + CSR → device id and certificate. Idempotent per key: a device that retries
 * with the same key (its first answer was lost) gets the same id and uses no token use.
 */
export async function registerDevice(ctx: ServiceContext, input: RegisterInput): Promise<RegisterResult> {
  const authority = ctx.authority;
  if (!authority) throw new DsError('INTERNAL', 'this DS has no certificate authority');
  const token = await resolveInstallToken(ctx, input.installToken);
  const csr = checkCsr(input.csr);
  if (!csr.ok) throw csr.error;

  const existingId = await ctx.repo.devices.findDeviceIdByKey(csr.value.keyId);
  if (existingId) {
    const device = await ctx.repo.devices.findDevice(existingId);
    if (!device || device.orgId !== token.orgId) {
      throw new DsError('KEY_ALREADY_REGISTERED', 'this key is registered to a device of another organisation');
    }
  } else if (token.maxUses !== null && token.uses >= token.maxUses) {
    throw new DsError('INVALID_TOKEN', 'install token used up');
  }

  const org = await requireOrganisation(ctx, token.orgId);
  const issued = authority.issue(csr.value);
  const deviceId = existingId ?? randomUUID();
  const cert: DeviceCertificate = {
    serial: issued.serial,
    deviceId,
    keyId: csr.value.keyId,
    publicKeyPem: csr.value.publicKeyPem,
    certificatePem: issued.pem,
    issuedAt: issued.issuedAt,
    notBefore: issued.notBefore,
    notAfter: issued.notAfter,
  };

  if (existingId) {
    await ctx.repo.devices.addCertificate(cert);
  } else {
    // The repository re-checks the uses atomically: two registrations may race for the last one.
    const created = await ctx.repo.devices.registerDevice({
      device: {
        id: deviceId,
        orgId: token.orgId,
        registeredAt: isoAt(ctx.clock.now()),
        version: input.version,
        os: input.os,
        corsVersionSent: org.corsVersion,
        configVersionSent: org.configVersion,
        nextSyncAfterSeconds: nextSyncAfterSeconds(ctx, org),
      },
      certificate: cert,
      tokenId: token.id,
    });
    if (!created) throw new DsError('INVALID_TOKEN', 'install token used up');
  }

  return {
    deviceId,
    certificate: issued.pem,
    caChain: [...authority.caChain],
    notAfter: issued.notAfter,
    serial: issued.serial,
    renewal: renewalWindow(Date.parse(issued.issuedAt), Date.parse(issued.notAfter)),
    config: configView(org),
    cors: await corsView(ctx, org),
    nextSyncAfterSeconds: nextSyncAfterSeconds(ctx, org),
    serverTime: isoAt(ctx.clock.now()),
    issued: cert,
    orgId: org.id,
  };
}
