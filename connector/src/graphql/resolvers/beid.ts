import type { BeidResolvers, BeidCertificatesResolvers, IntegrityResolvers, MutationResolvers, QueryResolvers } from '../generated/resolvers.js';
import type { RequestContext } from '../context.js';
import type { BeidParent } from '../mappers.js';
import { ConnectorError } from '../../errors.js';
import { withUsage } from '../usage.js';
import { parseAddress, parseIdentity, photoHashOf } from '../../card/modules/beid/identity.js';
import { derFromCardFile, describeCertificate } from '../../card/modules/beid/certificates.js';
import { addressSignedData, photoMatches, signatureFromFile, verifiesWithRrn } from '../../card/modules/beid/integrity.js';
import type { BeidFileName } from '../../card/modules/beid/belpic-apdus.js';
import { jpegPhoto } from '../../card/modules/beid/photo.js';
import type { SigningKey } from '../../card/modules/beid/beid-service.js';

const MODULE = 'beid';

const beidOf = (ctx: RequestContext) => {
  if (!ctx.services.beid) throw new ConnectorError('PCSC_UNAVAILABLE', 'No card layer is running.');
  return ctx.services.beid;
};
const file = (ctx: RequestContext, p: BeidParent, name: BeidFileName) => beidOf(ctx).file(p.readerId, name);

/** Reading identity, address or photo is one IDENTITY_READ per request. */
const identityRead = <T>(ctx: RequestContext, op: () => Promise<T>) => withUsage(ctx, 'IDENTITY_READ', MODULE, op);

export const beidQuery: QueryResolvers['beid'] = (_p, { readerId }) => ({ readerId });

export const Beid: BeidResolvers = {
  readerId: (p) => p.readerId,
  identity: (p, _a, ctx) => identityRead(ctx, async () => parseIdentity(await file(ctx, p, 'identity'))),
  address: (p, _a, ctx) => identityRead(ctx, async () => parseAddress(await file(ctx, p, 'address'))),
  photo: (p, _a, ctx) =>
    identityRead(ctx, async () => {
      const jpeg = jpegPhoto(await file(ctx, p, 'photo'));
      return { mimeType: 'image/jpeg', base64: jpeg.toString('base64'), size: jpeg.length };
    }),
  certificates: (p) => p,
  integrity: (p) => p,
  algorithms: (p, _a, ctx) => beidOf(ctx).algorithms(p.readerId),
  appletVersion: (p, _a, ctx) => beidOf(ctx).appletVersion(p.readerId),
  pinTriesLeft: (p, _a, ctx) => beidOf(ctx).pinTriesLeft(p.readerId),
};

const certificate = (name: BeidFileName) => async (p: BeidParent, _a: unknown, ctx: RequestContext) => {
  const der = derFromCardFile(await file(ctx, p, name));
  return der ? describeCertificate(der) : null;
};

export const BeidCertificates: BeidCertificatesResolvers = {
  root: certificate('rootCert'),
  citizenCa: certificate('caCert'),
  authentication: certificate('authCert'),
  nonRepudiation: certificate('signCert'),
  rrn: certificate('rrnCert'),
};

async function rrnDer(ctx: RequestContext, p: BeidParent): Promise<Buffer | undefined> {
  return derFromCardFile(await file(ctx, p, 'rrnCert'));
}

/** Only the flags asked for are checked, so only the files they need are read. */
export const Integrity: IntegrityResolvers = {
  identity: async (p, _a, ctx) => {
    const [rrn, identity, sig] = await Promise.all([rrnDer(ctx, p), file(ctx, p, 'identity'), file(ctx, p, 'identitySignature')]);
    return !!rrn && verifiesWithRrn(rrn, identity, signatureFromFile(sig, rrn));
  },
  address: async (p, _a, ctx) => {
    const [rrn, address, sig, idSig] = await Promise.all([
      rrnDer(ctx, p), file(ctx, p, 'address'), file(ctx, p, 'addressSignature'), file(ctx, p, 'identitySignature'),
    ]);
    if (!rrn) return false;
    const idSignature = signatureFromFile(idSig, rrn);
    return addressSignedData(address, idSignature).some((data) => verifiesWithRrn(rrn, data, signatureFromFile(sig, rrn)));
  },
  photo: async (p, _a, ctx) => {
    const [identity, photo] = await Promise.all([file(ctx, p, 'identity'), file(ctx, p, 'photo')]);
    return photoMatches(photo, photoHashOf(identity));
  },
};

export const verifyPinMutation: MutationResolvers['verifyPin'] = (_p, { input }, ctx) =>
  withUsage(ctx, 'PIN_VERIFICATION', MODULE, async () => ({
    verified: true,
    retriesLeft: await beidOf(ctx).verifyPin(input.readerId, ctx.cardCaller, input.pin, input.allowLastTry ?? false),
  }));

export const changePinMutation: MutationResolvers['changePin'] = async (_p, { input }, ctx) => ({
  verified: true,
  retriesLeft: await beidOf(ctx).changePin(input.readerId, ctx.cardCaller, input.oldPin, input.newPin, input.allowLastTry ?? false),
});

function decodeHash(b64: string): Buffer {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0) throw new ConnectorError('INVALID_INPUT', 'hash must be base64.');
  return Buffer.from(b64, 'base64');
}

const signWith = (key: SigningKey): MutationResolvers['sign'] => (_p, { input }, ctx) =>
  withUsage(ctx, key === 'NON_REPUDIATION' ? 'SIGNATURE' : 'AUTHENTICATION', MODULE, async () => {
    const hash = decodeHash(input.hash);
    const signature = await beidOf(ctx).sign(input.readerId, ctx.cardCaller, {
      key, algorithm: input.algorithm, hash, pin: input.pin, allowLastTry: input.allowLastTry ?? false,
    });
    const der = derFromCardFile(await file(ctx, { readerId: input.readerId }, key === 'NON_REPUDIATION' ? 'signCert' : 'authCert'));
    return { algorithm: input.algorithm, signature: signature.toString('base64'), certificate: der ? describeCertificate(der).pem : '' };
  });

export const signMutation = signWith('NON_REPUDIATION');
export const authenticateMutation = signWith('AUTHENTICATION');
