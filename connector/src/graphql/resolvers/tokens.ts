import type {
  MutationResolvers, Pkcs11LibraryResolvers, QueryResolvers, TokenCertificateResolvers, TokenResolvers,
} from '../generated/resolvers.js';
import type { RequestContext } from '../context.js';
import { ConnectorError } from '../../errors.js';
import { connectorErrorOf } from '../card-errors.js';
import { withUsage } from '../usage.js';
import { describeCertificate } from '../../card/modules/beid/certificates.js';

const MODULE = 'pkcs11';

const pkcs11Of = (ctx: RequestContext) => {
  if (!ctx.services.pkcs11) throw new ConnectorError('PKCS11_LIBRARY_ERROR', 'The PKCS#11 module is not running.');
  return ctx.services.pkcs11;
};

export const pkcs11LibrariesQuery: QueryResolvers['pkcs11Libraries'] = (_p, _a, ctx) => pkcs11Of(ctx).libraries();
export const tokensQuery: QueryResolvers['tokens'] = (_p, { library }, ctx) => pkcs11Of(ctx).tokens(library ?? undefined);
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
    const r = await pkcs11Of(ctx).sign(input.tokenId, {
      keyId: input.keyId,
      algorithm: input.algorithm,
      hash: decodeHash(input.hash),
      pin: input.pin ?? null,
      allowLastTry: input.allowLastTry ?? false,
    });
    return {
      algorithm: input.algorithm,
      signature: r.signature.toString('base64'),
      certificate: r.certificate ? describeCertificate(r.certificate).pem : '',
    };
  });

export const tokenSignMutation = signWith('SIGNATURE');
export const tokenAuthenticateMutation = signWith('AUTHENTICATION');
