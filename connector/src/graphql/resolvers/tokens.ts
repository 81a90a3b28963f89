import type {
  MutationResolvers, Pkcs11LibraryResolvers, QueryResolvers, TokenCertificateResolvers, TokenResolvers,
} from '../generated/resolvers.js';
import type { RequestContext } from '../context.js';
import { ConnectorError } from '../../errors.js';
import { connectorErrorOf } from '../card-errors.js';
import { withUsage } from '../usage.js';
import { describeCertificate } from '../../card/modules/beid/certificates.js';
import { documentNameOf, onConnectorPage, refusePagePin } from './user-steps.js';

/** The module name transactions carry (the CardModule enum's value). */
const MODULE = 'PKCS11';

const pkcs11Of = (ctx: RequestContext) => {
  if (!ctx.services.pkcs11) throw new ConnectorError('PKCS11_LIBRARY_ERROR', 'The PKCS#11 module is not running.');
  return ctx.services.pkcs11;
};

export const pkcs11LibrariesQuery: QueryResolvers['pkcs11Libraries'] = (_p, _a, ctx) => pkcs11Of(ctx).libraries();
export const tokensQuery: QueryResolvers['tokens'] = async (_p, { library, servedElsewhere }, ctx) => {
  const all = await pkcs11Of(ctx).tokens(library ?? undefined);
  return servedElsewhere === false ? all.filter((t) => t.alsoServedBy === null) : all;
};
export const tokenQuery: QueryResolvers['token'] = (_p, { id }, ctx) => pkcs11Of(ctx).token(id);

export const Pkcs11Library: Pkcs11LibraryResolvers = {
  description: (p) => p.info?.description ?? null,
  manufacturer: (p) => p.info?.manufacturer ?? null,
  version: (p) => p.info?.version ?? null,
  error: (p) => {
    if (!p.error) return null;
    const e = connectorErrorOf(p.error);
    return { code: e?.code ?? 'INTERNAL', message: p.error.message };
  },
};

export const Token: TokenResolvers = {
  certificates: async (p, _a, ctx) => (await pkcs11Of(ctx).certificates(p.id)).map((cert) => ({ tokenId: p.id, cert })),
  mechanisms: async (p, _a, ctx) => (await pkcs11Of(ctx).mechanisms(p.id)).map((m) => m.name),
};

export const TokenCertificate: TokenCertificateResolvers = {
  keyId: (p) => p.cert.keyId,
  label: (p) => p.cert.label,
  der: (p) => p.cert.der.toString('base64'),
  certificate: (p) => {
    try {
      return describeCertificate(p.cert.der);
    } catch {
      throw new ConnectorError('CARD_ERROR', 'The token holds a certificate that does not parse.');
    }
  },
  algorithms: (p, _a, ctx) => (p.cert.keyType ? pkcs11Of(ctx).algorithms(p.tokenId, p.cert.keyType) : []),
};

function decodeHash(b64: string): Buffer {
  if (b64.length > 172 || !/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0) throw new ConnectorError('INVALID_INPUT', 'hash must be base64 of at most 128 bytes.');
  return Buffer.from(b64, 'base64');
}

const signWith = (useCase: 'SIGNATURE' | 'AUTHENTICATION'): MutationResolvers['tokenSign'] => (_p, { input }, ctx) =>
  withUsage(ctx, useCase, MODULE, async () => {
    const hash = decodeHash(input.hash);
    const allowLastTry = input.allowLastTry ?? false;
    refusePagePin(ctx, input.pin != null, allowLastTry);
    const documentName = documentNameOf(input.documentName);
    const p11 = pkcs11Of(ctx);
    const req = { keyId: input.keyId, algorithm: input.algorithm, hash };
    const run = (pin: string | null, lastTry: boolean) => p11.sign(input.tokenId, { ...req, pin, allowLastTry: lastTry });
    let r: Awaited<ReturnType<typeof run>>;
    if (input.operation != null) {
      if (input.pin != null) throw new ConnectorError('INVALID_INPUT', 'Give either pin or operation.');
      // Refuse what cannot succeed before the user is asked for anything.
      p11.checkSign(input.tokenId, req);
      const token = await p11.token(input.tokenId);
      if (token.pinTriesLeft === 0) throw new ConnectorError('PIN_BLOCKED', 'The token\'s PIN is blocked.', { retriesLeft: 0 });
      // A PIN pad takes the PIN itself; a token without login needs none: nothing to type on the page.
      r = token.protectedAuthenticationPath || !token.loginRequired
        ? await run(null, false)
        : await onConnectorPage(ctx, input.operation, {
          kind: useCase === 'SIGNATURE' ? 'sign' : 'authenticate',
          token: { slot: bounded(token.slotDescription), label: bounded(`${token.label} (${token.manufacturer} ${token.model})`), triesLeft: token.pinTriesLeft },
          algorithm: input.algorithm,
          digestHex: hash.toString('hex'),
          documentName,
          attempt: (a) => run(a.pin, a.allowLastTry),
        });
    } else {
      r = await run(input.pin ?? null, allowLastTry);
    }
    return {
      algorithm: input.algorithm,
      signature: r.signature.toString('base64'),
      certificate: r.certificate ? describeCertificate(r.certificate).pem : '',
    };
  });

/** Token fields come from the library (32-64 bytes in PKCS#11, but a library may send more). */
const bounded = (s: string) => (s.length > 120 ? `${s.slice(0, 119)}…` : s);

export const tokenSignMutation = signWith('SIGNATURE');
export const tokenAuthenticateMutation = signWith('AUTHENTICATION');
