import type { CertificateAuthority } from '../ca/authority.js';
import type { Clock } from '../clock.js';
import type { DsConfig } from '../config.js';
import type { Repository } from '../store/repository.js';

/** What every service needs; built once per DS process (or per CLI command). */
export interface ServiceContext {
  repo: Repository;
  clock: Clock;
  config: DsConfig;
  /** Absent for admin commands that never sign anything. */
  authority?: CertificateAuthority | undefined;
}
