import { existsSync, readFileSync } from 'node:fs';
import { X509Certificate, createPrivateKey, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.js';
import type { IssuedCert } from './x509.js';

/** What the HTTPS server needs, plus the trust anchor users install. */
export interface ServerCredentials {
  key: string;
  cert: string;
  /** Certificates between the leaf and the trust anchor, PEM, may be empty. */
  chain: string;
  /** The CA certificate a browser must trust (`connector trust`). */
  ca: string;
}

const SELF_CA_DAYS = 3650;
const SELF_LEAF_DAYS = 397;

/** Layout of `<data-dir>/tls`. Keys are 0600. */
export class CertStore {
  readonly dir: string;
  constructor(dataDir: string) {
    this.dir = join(dataDir, 'tls');
  }

  get paths() {
    return {
      key: join(this.dir, 'server.key'),
      cert: join(this.dir, 'server.crt'),
      chain: join(this.dir, 'chain.crt'),
      ca: join(this.dir, 'ca.crt'),
      localCaKey: join(this.dir, 'local-ca.key'),
    };
  }

  load(): ServerCredentials | undefined {
    const p = this.paths;
    if (!existsSync(p.key) || !existsSync(p.cert) || !existsSync(p.ca)) return undefined;
    return {
      key: readFileSync(p.key, 'utf8'),
      cert: readFileSync(p.cert, 'utf8'),
      chain: existsSync(p.chain) ? readFileSync(p.chain, 'utf8') : '',
      ca: readFileSync(p.ca, 'utf8'),
    };
  }

  /**
   * Save a full set; the key goes first so a crash between writes leaves a key that does
   * not match the old certificate, which `load()` callers detect with `matches()`.
   */
  save(creds: ServerCredentials): void {
    const p = this.paths;
    writeFileAtomic(p.key, creds.key, 0o600);
    writeFileAtomic(p.chain, creds.chain);
    writeFileAtomic(p.ca, creds.ca);
    writeFileAtomic(p.cert, creds.cert);
  }

  /**
   * Credentials to serve with: the stored ones when valid, else a fresh local CA (kept
   * across starts so users trust it once) and a leaf it signs.
   */
  async ensure(now = new Date()): Promise<ServerCredentials> {
    const current = this.load();
    if (current && credentialsUsable(current, now)) return current;
    // node-forge is only needed to mint certificates: loaded on demand, not at every start.
    const { createLoopbackCa, issueLoopbackLeaf } = await import('./x509.js');
    const p = this.paths;
    let ca: IssuedCert | undefined;
    if (existsSync(p.localCaKey) && existsSync(p.ca)) {
      ca = { certPem: readFileSync(p.ca, 'utf8'), keyPem: readFileSync(p.localCaKey, 'utf8') };
      if (!credentialsUsable({ key: ca.keyPem, cert: ca.certPem, chain: '', ca: ca.certPem }, now)) ca = undefined;
    }
    if (!ca) {
      // A subject of its own: NSS files certificates with one subject under one nickname, so two
      // connectors' CAs made the same day would collide in the browser's database.
      const id = randomBytes(4).toString('hex');
      ca = createLoopbackCa(`Cardlink connector local CA ${now.toISOString().slice(0, 10)} ${id}`, SELF_CA_DAYS, now);
      writeFileAtomic(p.localCaKey, ca.keyPem, 0o600);
    }
    const leaf = issueLoopbackLeaf(ca, SELF_LEAF_DAYS, now);
    const creds = { key: leaf.keyPem, cert: leaf.certPem, chain: '', ca: ca.certPem };
    this.save(creds);
    return creds;
  }
}

/** The certificate is within its validity and belongs to the key. */
export function credentialsUsable(c: ServerCredentials, now = new Date()): boolean {
  try {
    const x = new X509Certificate(c.cert);
    if (new Date(x.validFrom) > now || new Date(x.validTo) <= now) return false;
    return x.checkPrivateKey(createPrivateKey(c.key));
  } catch {
    return false;
  }
}
