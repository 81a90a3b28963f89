import { createHash, createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import { forge } from './forge.js';
import { loopbackNameConstraints, NAME_CONSTRAINTS_OID } from './name-constraints.js';
import { randomSerial } from './serial.js';

export interface RootCa {
  certPem: string;
  cert: forge.pki.Certificate;
  /** Node key for signing leaves: native RSA is ~50x faster than forge's JS. */
  key: KeyObject;
  /** SubjectKeyIdentifier bytes, repeated as AuthorityKeyIdentifier in every leaf. */
  keyIdentifier: string;
}

const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;

/**
 * A fresh DS root CA: RSA 2048 (forge cannot sign with EC), SHA-256, ten years, and a
 * critical nameConstraints extension limiting it to loopback names, so a machine that
 * trusts it trusts nothing routable.
 */
export function generateRootCa(clock: Clock = systemClock): RootCa {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  const publicKey = forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e);

  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = randomSerial();
  const now = clock.now();
  cert.validity.notBefore = new Date(now - 3600_000);
  cert.validity.notAfter = new Date(now + TEN_YEARS_MS);
  // A per-installation suffix tells two DS installations' roots apart in trust stores.
  const id = createHash('sha256').update(forge.pki.publicKeyToPem(publicKey)).digest('hex').slice(0, 8);
  const name = [
    { name: 'commonName', value: `Cardlink DS Loopback CA ${id}` },
    { name: 'organizationName', value: 'Cardlink' },
  ];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { id: NAME_CONSTRAINTS_OID, critical: true, value: loopbackNameConstraints() },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forgeKey, forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert);
  return fromPem(certPem, keyPem);
}

function fromPem(certPem: string, keyPem: string): RootCa {
  const cert = forge.pki.certificateFromPem(certPem);
  return {
    certPem,
    cert,
    key: createPrivateKey(keyPem),
    keyIdentifier: cert.generateSubjectKeyIdentifier().getBytes(),
  };
}

export const CA_CERT_FILE = 'ca/root.cert.pem';
export const CA_KEY_FILE = 'ca/root.key.pem';

/**
 * The CA of this DS installation: read from the data dir, or generated once and written
 * there (key 0600, directory 0700). Writes go through a temp file and rename so a crash
 * never leaves half a key.
 */
export function loadOrCreateCa(dataDir: string, clock: Clock = systemClock): RootCa {
  const certPath = join(dataDir, CA_CERT_FILE);
  const keyPath = join(dataDir, CA_KEY_FILE);
  if (existsSync(certPath) && existsSync(keyPath)) {
    return fromPem(readFileSync(certPath, 'utf8'), readFileSync(keyPath, 'utf8'));
  }
  if (existsSync(join(dataDir, 'ca'))) {
    // A folder from before (or made by hand) without both files: fill it in place.
    const ca = generateRootCa(clock);
    writeAtomically(keyPath, ca.key.export({ type: 'pkcs8', format: 'pem' }).toString(), 0o600);
    writeAtomically(certPath, ca.certPem, 0o644);
    return ca;
  }
  // Replicas sharing a data dir may start together: each builds a complete CA folder aside and
  // renames it into place; a rename onto the folder another one put there first fails, and the
  // loser uses the winner's CA. Every replica ends up with the same key.
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const aside = mkdtempSync(join(dataDir, '.ca-'));
  const ca = generateRootCa(clock);
  writeFileSync(join(aside, 'root.key.pem'), ca.key.export({ type: 'pkcs8', format: 'pem' }).toString(), { mode: 0o600 });
  writeFileSync(join(aside, 'root.cert.pem'), ca.certPem, { mode: 0o644 });
  try {
    renameSync(aside, join(dataDir, 'ca'));
    return ca;
  } catch (e) {
    rmSync(aside, { recursive: true, force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw e;
    return fromPem(readFileSync(certPath, 'utf8'), readFileSync(keyPath, 'utf8'));
  }
}

function writeAtomically(path: string, content: string, mode: number): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, content, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, path);
}
