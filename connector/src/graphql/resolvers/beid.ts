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
import { documentNameOf, onConnectorPage, refusePagePin, requireConsent } from './user-steps.js';

const MODULE = 'beid';

const beidOf = (ctx: RequestContext) => {
  if (!ctx.services.beid) throw new ConnectorError('PCSC_UNAVAILABLE', 'No card layer is running.');
  return ctx.services.beid;
};
const file = (ctx: RequestContext, p: BeidParent, name: BeidFileName) => beidOf(ctx).file(p.readerId, name);

/** Reading identity, address or photo is one IDENTITY_READ per request, with the user's consent where the application needs it. */
const identityRead = <T>(ctx: RequestContext, op: () => Promise<T>) =>
  withUsage(ctx, 'IDENTITY_READ', MODULE, () => {
    requireConsent(ctx);
    return op();
  });

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
  withUsage(ctx, 'PIN_VERIFICATION', MODULE, async () => {
    const { readerId, operation } = input;
    const allowLastTry = input.allowLastTry ?? false;
    refusePagePin(ctx, input.pin != null, allowLastTry);
    if (operation != null) {
      if (input.pin != null) throw new ConnectorError('INVALID_INPUT', 'Give either pin or operation.');
      return onConnectorPage(ctx, operation, {
        kind: 'verify',
        readerId,
        attempt: async (a) => ({ verified: true, retriesLeft: await beidOf(ctx).verifyPin(readerId, ctx.cardCaller, a.pin, a.allowLastTry) }),
      });
    }
    if (input.pin == null) throw new ConnectorError('PIN_REQUIRED', 'Give the PIN, or an operation id for the connector page.');
    return { verified: true, retriesLeft: await beidOf(ctx).verifyPin(readerId, ctx.cardCaller, input.pin, allowLastTry) };
  });

/** Recorded as its own use case, PIN_CHANGE (not as PIN_VERIFICATION). */
export const changePinMutation: MutationResolvers['changePin'] = (_p, { input }, ctx) =>
  withUsage(ctx, 'PIN_CHANGE', MODULE, async () => {
    const { readerId, operation } = input;
    const allowLastTry = input.allowLastTry ?? false;
    refusePagePin(ctx, input.oldPin != null || input.newPin != null, allowLastTry);
    if (operation != null) {
      if (input.oldPin != null || input.newPin != null) throw new ConnectorError('INVALID_INPUT', 'Give either the PINs or operation.');
      return onConnectorPage(ctx, operation, {
        kind: 'change',
        readerId,
        attempt: async (a) => ({ verified: true, retriesLeft: await beidOf(ctx).changePin(readerId, ctx.cardCaller, a.pin, a.newPin ?? '', a.allowLastTry) }),
      });
    }
    if (input.oldPin == null || input.newPin == null) throw new ConnectorError('PIN_REQUIRED', 'Give oldPin and newPin, or an operation id for the connector page.');
    return { verified: true, retriesLeft: await beidOf(ctx).changePin(readerId, ctx.cardCaller, input.oldPin, input.newPin, allowLastTry) };
  });

function decodeHash(b64: string): Buffer {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0) throw new ConnectorError('INVALID_INPUT', 'hash must be base64.');
  return Buffer.from(b64, 'base64');
}

const signWith = (key: SigningKey): MutationResolvers['sign'] => (_p, { input }, ctx) =>
  withUsage(ctx, key === 'NON_REPUDIATION' ? 'SIGNATURE' : 'AUTHENTICATION', MODULE, async () => {
    const hash = decodeHash(input.hash);
    const allowLastTry = input.allowLastTry ?? false;
    refusePagePin(ctx, input.pin != null, allowLastTry);
    const documentName = documentNameOf(input.documentName);
    const run = (pin: string | null | undefined, lastTry: boolean) =>
      beidOf(ctx).sign(input.readerId, ctx.cardCaller, { key, algorithm: input.algorithm, hash, pin, allowLastTry: lastTry });
    let signature: Buffer;
    if (input.operation != null) {
      if (input.pin != null) throw new ConnectorError('INVALID_INPUT', 'Give either pin or operation.');
      // Refuse what the card cannot do before the user is asked for anything.
      const supported = await beidOf(ctx).algorithms(input.readerId);
      if (!supported.includes(input.algorithm)) {
        throw new ConnectorError('ALGORITHM_NOT_SUPPORTED', `This card does not support ${input.algorithm}.`, { supported });
      }
      signature = await onConnectorPage(ctx, input.operation, {
        kind: key === 'NON_REPUDIATION' ? 'sign' : 'authenticate',
        readerId: input.readerId,
        algorithm: input.algorithm,
        digestHex: hash.toString('hex'),
        documentName,
        attempt: (a) => run(a.pin, a.allowLastTry),
      });
    } else {
      signature = await run(input.pin, allowLastTry);
    }
    const der = derFromCardFile(await file(ctx, { readerId: input.readerId }, key === 'NON_REPUDIATION' ? 'signCert' : 'authCert'));
    return { algorithm: input.algorithm, signature: signature.toString('base64'), certificate: der ? describeCertificate(der).pem : '' };
  });

export const signMutation = signWith('NON_REPUDIATION');
export const authenticateMutation = signWith('AUTHENTICATION');
