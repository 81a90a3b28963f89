import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';

const { privateKey } = generateKeyPairSync('ed25519');

/** A release as `connector release sign` makes it, built here independently of the connector. */
export function makeRelease(version: string, o: { flag?: string; min?: string; pkg?: Buffer } = {}) {
  const pkg = o.pkg ?? randomBytes(2048);
  const manifest = JSON.stringify({
    version,
    sha256: createHash('sha256').update(pkg).digest('hex'),
    size: pkg.length,
    minimumVersion: o.min ?? '0.0.1',
    flag: o.flag ?? 'recommended',
    createdAt: new Date().toISOString(),
  });
  return { pkg, release: { manifest, signature: sign(null, Buffer.from(manifest), privateKey).toString('base64') } };
}
