// PKCS#11 tokens through the SDK against a real connector (in-process, HTTPS with its CA) and
// a real SoftHSM2 token made by the test: list, certificates, sign, and the signatures verified
// with WebCrypto (crypto.subtle), as a page does.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, fetch as undiciFetch } from 'undici';
import { APP_ORIGIN, startTestConnector, type TestConnector } from '../../connector/test/helpers/test-connector.js';
import { createSoftHsmToken, SOFTHSM_LIB, USER_PIN, type SoftHsmToken } from '../../connector/test/helpers/softhsm-token.js';
import { writeConfiguredLibraries } from '../../connector/src/card/modules/pkcs11/libraries.js';
import { createConnector, type Connector } from '../src/index.js';
import { tokensOf } from '../src/tokens.js';
import { rejection } from './helpers/rejection.js';

function browserLikeFetch(ca: string): typeof fetch {
  const dispatcher = new Agent({ connect: { ca } });
  return ((input: RequestInfo | URL, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set('origin', APP_ORIGIN);
    return undiciFetch(input as string, { ...(init as object), headers, dispatcher } as never);
  }) as unknown as typeof fetch;
}

const spki = (pem: string) => {
  // The certificate's public key, as WebCrypto imports it (node's X509 only to cut the SPKI out).
  return import('node:crypto').then(({ X509Certificate }) => new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' }));
};

let token: SoftHsmToken;
let t: TestConnector;
let sdk: Connector;

beforeAll(async () => {
  token = createSoftHsmToken();
  process.env.SOFTHSM2_CONF = token.conf;
  const dataDir = mkdtempSync(join(tmpdir(), 'cardlink-sdk-p11-'));
  writeConfiguredLibraries(dataDir, [{ name: 'softhsm', path: SOFTHSM_LIB }], ['opensc', 'softhsm2']);
  t = await startTestConnector({ dataDir, virtualCard: '1.8', pkcs11TimeoutMs: 10_000 });
  sdk = createConnector({ url: `https://localhost:${t.port}`, fetch: browserLikeFetch(t.ca) });
});
afterAll(async () => {
  await t?.close();
  token?.remove();
});

describe('tokens through the SDK', () => {
  it('lists, reads certificates, signs, and WebCrypto verifies (ECDSA P-256 and RSA-PSS)', async () => {
    const [tok, ...rest] = await tokensOf(sdk).list();
    expect(rest).toEqual([]);
    expect(tok).toMatchObject({ library: 'softhsm', label: token.label, loginRequired: true, alsoServedBy: null });
    expect(await tokensOf(sdk).libraries()).toMatchObject([{ name: 'softhsm', source: 'CONFIGURED', error: null }]);
    expect(await tokensOf(sdk).mechanisms(tok!.id)).toContain('CKM_ECDSA');
    const certs = await tokensOf(sdk).certificates(tok!.id);
    const ec = certs.find((c) => c.keyId === token.ec.id)!;
    const rsa = certs.find((c) => c.keyId === token.rsa.id)!;
    expect(ec.certificate.subject).toBe('CN=Cardlink EC test');

    const data = new TextEncoder().encode('signed in the browser');
    const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
    const ecSig = await tokensOf(sdk).sign({ tokenId: tok!.id, keyId: ec.keyId, algorithm: 'ECDSA_SHA256', hash, pin: USER_PIN });
    const ecKey = await crypto.subtle.importKey('spki', await spki(ecSig.certificate), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    const sigBytes = (b64: string) => Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
    expect(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, ecKey, sigBytes(ecSig.signature), data)).toBe(true);
    expect(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, ecKey, sigBytes(ecSig.signature), new TextEncoder().encode('other'))).toBe(false);

    const pss = await tokensOf(sdk).authenticate({ tokenId: tok!.id, keyId: rsa.keyId, algorithm: 'RSA_PSS_SHA256', hash, pin: USER_PIN });
    const rsaKey = await crypto.subtle.importKey('spki', await spki(rsa.certificate.pem), { name: 'RSA-PSS', hash: 'SHA-256' }, false, ['verify']);
    expect(await crypto.subtle.verify({ name: 'RSA-PSS', saltLength: 32 }, rsaKey, sigBytes(pss.signature), data)).toBe(true);
  });

  it('a wrong PIN and a bad key id are typed ConnectorErrors', async () => {
    const [tok] = await tokensOf(sdk).list('softhsm');
    const hash = new Uint8Array(32);
    const wrong = await rejection(tokensOf(sdk).sign({ tokenId: tok!.id, keyId: token.ec.id, algorithm: 'ECDSA_SHA256', hash, pin: '000000' }));
    expect(wrong.code).toBe('PIN_INCORRECT');
    const bad = await rejection(tokensOf(sdk).sign({ tokenId: tok!.id, keyId: 'XYZ', algorithm: 'ECDSA_SHA256', hash, pin: USER_PIN }));
    expect(bad.code).toBe('INVALID_INPUT');
    const noLib = await rejection(tokensOf(sdk).list('nope'));
    expect(noLib.code).toBe('TOKEN_NOT_FOUND');
  });
});
