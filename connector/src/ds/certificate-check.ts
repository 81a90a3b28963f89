import { X509Certificate, createPrivateKey } from 'node:crypto';
import { LOOPBACK_DNS_NAMES, LOOPBACK_IPS } from '@cardlink/ds-protocol';

/** An address as Node's subjectAltName writes it: IPv6 fully expanded, no leading zeros. */
function sanIp(ip: string): string {
  if (!ip.includes(':')) return ip;
  const [head = '', tail = ''] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  return [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t].map((g) => parseInt(g, 16).toString(16)).join(':');
}

const LOOPBACK_SAN = [...LOOPBACK_DNS_NAMES.map((n) => `DNS:${n}`), ...LOOPBACK_IPS.map((ip) => `IP Address:${sanIp(ip)}`)].sort().join(',');
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';

export interface IssuedCertificate {
  pem: string;
  caChain: string[];
}

/**
 * Check a certificate the DS sent before serving with it: it matches our key, chains to the
 * DS CA we trust, names exactly the loopback names, is for TLS servers and is valid now.
 * Returns the reason it is refused, or undefined when it is good.
 */
export function refuseCertificate(issued: IssuedCertificate, keyPem: string, trustedCaPem: string, now = new Date()): string | undefined {
  let leaf: X509Certificate;
  let chain: X509Certificate[];
  let trusted: X509Certificate;
  try {
    leaf = new X509Certificate(issued.pem);
    chain = issued.caChain.map((p) => new X509Certificate(p));
    trusted = new X509Certificate(trustedCaPem);
  } catch {
    return 'not a certificate';
  }
  try {
    if (!leaf.checkPrivateKey(createPrivateKey(keyPem))) return 'certificate does not match our key';
  } catch {
    return 'certificate does not match our key';
  }
  // Walk leaf -> chain; the last link must be signed by (or be) the CA we already trust.
  let child = leaf;
  for (const parent of chain) {
    if (parent.fingerprint256 === trusted.fingerprint256) break;
    if (!child.checkIssued(parent) || !child.verify(parent.publicKey)) return 'broken certificate chain';
    child = parent;
  }
  if (!child.checkIssued(trusted) || !child.verify(trusted.publicKey)) return 'not issued by the trusted DS CA';
  const san = (leaf.subjectAltName ?? '').split(', ').filter(Boolean).sort().join(',');
  if (san !== LOOPBACK_SAN) return 'certificate names are not exactly the loopback names';
  if (leaf.keyUsage && !leaf.keyUsage.includes(SERVER_AUTH)) return 'certificate is not for TLS servers';
  if (leaf.ca) return 'a CA certificate cannot serve TLS';
  if (new Date(leaf.validFrom).getTime() > now.getTime() + 5 * 60_000 || new Date(leaf.validTo) <= now) return 'certificate is not valid now';
  return undefined;
}
