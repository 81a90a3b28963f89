import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import type { CheckedCsr } from './csr.js';
import { issueLeaf, type IssuedCertificate } from './issue.js';
import type { RootCa } from './root-ca.js';

export interface CertificateAuthority {
  /** PEMs a device needs to validate its leaf, nearest issuer first (today only the root). */
  readonly caChain: readonly string[];
  readonly lifetimeSeconds: number;
  issue(csr: CheckedCsr): IssuedCertificate;
}

/** The DS's issuing authority: a root CA plus the configured leaf lifetime. */
export function createAuthority(root: RootCa, opts: { lifetimeSeconds: number; clock?: Clock }): CertificateAuthority {
  const clock = opts.clock ?? systemClock;
  return {
    caChain: [root.certPem],
    lifetimeSeconds: opts.lifetimeSeconds,
    issue: (csr) => issueLeaf(root, csr, opts.lifetimeSeconds, clock),
  };
}
