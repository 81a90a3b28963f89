import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { arch, platform, release } from 'node:os';
import type { Logger } from 'pino';
import type { StateStore } from '../store/state-store.js';
import type { TransactionStore } from '../transactions/transaction-store.js';
import type { OriginPolicy } from '../origins/origin-policy.js';
import type { CertStore, ServerCredentials } from '../tls/cert-store.js';
import { entryFromJson } from '../origins/allow-list.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import type { DsHttp } from './ds-http.js';
import { DsRequestError } from './ds-http.js';
import { createKeyAndCsr, csrForKey } from './device-key.js';
import { signedHeaders } from './request-signature.js';
import { refuseCertificate } from './certificate-check.js';
import type { UpdateHooks } from '../update/agent.js';
import {
  LOG_LEVELS,
  MAX_BATCH,
  RegisterResponse,
  SyncResponse,
  type ConfigPayload,
  type CorsPayload,
  type OriginEntry,
  type RenewalWindow,
  type SyncRequest,
} from '@cardlink/ds-protocol';
import { Value } from '@sinclair/typebox/value';
import { STATE, type DsStatus } from './ds-state.js';

export { STATE, type DsStatus };

export interface SyncOutcome {
  nextSyncAfterSeconds: number;
  acknowledged: number;
  renewedSerial?: string;
}

export interface DsClientDeps {
  url: string;
  http: DsHttp;
  state: StateStore;
  certs: CertStore;
  transactions: TransactionStore;
  origins: OriginPolicy;
  /** Swap the TLS credentials of the running server. */
  useCredentials(c: ServerCredentials): void;
  log: Logger;
  version: string;
  startedAt: number;
  installToken?: string;
  /** An explicit `--ds.cycle`: reported at each sync so the DS shows the cycle this device keeps. */
  cycleSeconds?: number;
  now?: () => Date;
}

const OS = `${platform()} ${release()} ${arch()}`;

/**
 * The connector's side of the DS protocol: registration, then one signed sync that carries
 * everything. Applies what comes back (origins, config, certificate) and persists it so a
 * restart without the DS starts from the last good state.
 */
export class DsClient {
  private lastError: string | null = null;
  /** A DS older than `cycleSeconds` refuses unknown fields: after one refusal, sync without it. */
  private sendCycle = true;
  /** Set by a supervised worker: reports update status and takes offers (src/update/agent.ts). */
  updates: UpdateHooks | undefined;
  private readonly now: () => Date;

  constructor(private readonly d: DsClientDeps) {
    this.now = d.now ?? (() => new Date());
  }

  get deviceId(): string | undefined {
    return this.d.state.get<string>(STATE.deviceId);
  }

  /** Put the last good DS origins in force (before any network call). */
  restore(): void {
    const cors = this.d.state.get<CorsPayload>(STATE.cors);
    if (cors?.entries) this.d.origins.setDsEntries(validEntries(cors.entries, this.d.log));
  }

  config(): ConfigPayload | undefined {
    return this.d.state.get<ConfigPayload>(STATE.config);
  }

  /** First start: install token + CSR -> device id and certificate. Retry-safe (same key). */
  async register(): Promise<void> {
    if (!this.d.installToken) throw new DsRequestError('NO_INSTALL_TOKEN', 'registration needs an install token (--ds.token or --ds.token-file)');
    const keyPath = this.pendingKeyPath();
    let keyPem: string;
    let csr: string;
    if (existsSync(keyPath)) {
      keyPem = readFileSync(keyPath, 'utf8');
      csr = csrForKey(keyPem);
    } else {
      ({ keyPem, csrPem: csr } = createKeyAndCsr());
      writeFileAtomic(keyPath, keyPem, 0o600);
    }
    const body = JSON.stringify({ installToken: this.d.installToken, csr, version: this.d.version, os: OS });
    const res = await this.d.http.post<RegisterResponse>('/v1/register', body);
    if (!Value.Check(RegisterResponse, res)) throw new DsRequestError('DS_BAD_RESPONSE', 'registration answer is malformed');
    const root = res.caChain.at(-1);
    if (!root) throw new DsRequestError('DS_BAD_RESPONSE', 'registration answer has no CA chain');
    const reason = refuseCertificate({ pem: res.certificate, caChain: res.caChain }, keyPem, root, this.now());
    if (reason) throw new DsRequestError('DS_BAD_CERTIFICATE', `registration certificate refused: ${reason}`);
    this.install({ key: keyPem, cert: res.certificate, chain: res.caChain.slice(0, -1).join('\n'), ca: root });
    this.d.state.set(STATE.deviceId, res.deviceId);
    this.apply(res.cors, res.config, res.renewal);
    this.d.log.info({ deviceId: res.deviceId }, 'registered with the DS');
  }

  /** One sync cycle. Throws DsRequestError when it failed; nothing is lost either way. */
  async sync(): Promise<SyncOutcome> {
    const deviceId = this.deviceId;
    if (!deviceId) throw new DsRequestError('NOT_REGISTERED', 'not registered with a DS');
    const creds = this.d.certs.load();
    if (!creds) throw new DsRequestError('NO_CERTIFICATE', 'no device certificate');
    const current = new X509Certificate(creds.cert);
    const batch = this.d.transactions.pending(MAX_BATCH);
    const renewalKey = this.inRenewalWindow(current) ? this.renewalKey() : undefined;
    const request: SyncRequest = {
      version: this.d.version,
      os: OS,
      uptimeSeconds: Math.floor((Date.now() - this.d.startedAt) / 1000),
      lastError: this.lastError,
      certificate: { serial: current.serialNumber.toLowerCase().replace(/^0+/, ''), notAfter: new Date(current.validTo).toISOString() },
      ...(renewalKey ? { csr: csrForKey(renewalKey) } : {}),
      ...(this.d.state.get<CorsPayload>(STATE.cors) ? { corsVersion: this.d.state.get<CorsPayload>(STATE.cors)!.version } : {}),
      ...(this.config() ? { configVersion: this.config()!.version } : {}),
      transactions: batch,
      ...(this.d.cycleSeconds !== undefined && this.sendCycle ? { cycleSeconds: this.d.cycleSeconds } : {}),
      ...(this.updates ? { updateStatus: this.updates.status() } : {}),
    };
    const body = JSON.stringify(request);
    let res: SyncResponse;
    try {
      res = await this.d.http.post<SyncResponse>('/v1/sync', body, signedHeaders(deviceId, '/v1/sync', body, creds.key));
      if (!Value.Check(SyncResponse, res)) {
        throw new DsRequestError('DS_BAD_RESPONSE', 'sync answer is malformed');
      }
    } catch (e) {
      if (request.cycleSeconds !== undefined && e instanceof DsRequestError && e.code === 'INVALID_REQUEST') {
        this.sendCycle = false;
        this.d.log.warn('the DS refused the sync with cycleSeconds (an older DS?): syncing without it');
        return this.sync();
      }
      this.lastError = e instanceof DsRequestError ? e.code : 'DS_ERROR';
      throw e;
    }
    // Only what the DS acknowledged leaves the outbox.
    const acknowledged = this.d.transactions.acknowledge(res.ack.filter((id) => typeof id === 'string'));
    let renewedSerial: string | undefined;
    if (res.certificate && renewalKey) renewedSerial = this.renew(res.certificate, renewalKey, creds.ca);
    else if (res.certificateError) this.d.log.warn({ code: res.certificateError.code }, 'DS refused our certificate request');
    // After a renewal the window in the answer belongs to the new certificate.
    this.apply(res.cors, res.config, res.renewal);
    if (res.update && this.updates) this.updates.offer(res.update);
    this.lastError = null;
    const hint = Number.isFinite(res.nextSyncAfterSeconds) && res.nextSyncAfterSeconds > 0 ? res.nextSyncAfterSeconds : undefined;
    return { nextSyncAfterSeconds: hint ?? 0, acknowledged, ...(renewedSerial ? { renewedSerial } : {}) };
  }

  /** The current certificate's renewal window (ms epoch), or undefined before registration. */
  renewalWindow(): { start: number; end: number } | undefined {
    const creds = this.d.certs.load();
    if (!creds || !this.deviceId) return undefined;
    return this.window(new X509Certificate(creds.cert));
  }

  private window(cert: X509Certificate): { start: number; end: number } {
    const stored = this.d.state.get<RenewalWindow & { serial?: string }>(STATE.renewal);
    if (stored && (!stored.serial || stored.serial === cert.serialNumber.toLowerCase())) {
      return { start: Date.parse(stored.windowStart), end: Date.parse(stored.windowEnd) };
    }
    const from = Date.parse(cert.validFrom);
    const to = Date.parse(cert.validTo);
    return { start: from + ((to - from) * 2) / 3, end: from + ((to - from) * 5) / 6 };
  }

  private inRenewalWindow(cert: X509Certificate): boolean {
    return this.now().getTime() >= this.window(cert).start;
  }

  private pendingKeyPath(): string {
    return join(this.d.certs.dir, 'pending.key');
  }

  /** The key for the next certificate, kept until a certificate for it arrives. */
  private renewalKey(): string {
    const path = this.pendingKeyPath();
    if (existsSync(path)) return readFileSync(path, 'utf8');
    const { keyPem } = createKeyAndCsr();
    writeFileAtomic(path, keyPem, 0o600);
    return keyPem;
  }

  private renew(cert: { pem: string; caChain: string[] }, keyPem: string, trustedCa: string): string | undefined {
    const reason = refuseCertificate(cert, keyPem, trustedCa, this.now());
    if (reason) {
      this.d.log.warn({ reason }, 'renewed certificate refused; keeping the current one');
      this.lastError = 'BAD_RENEWED_CERTIFICATE';
      return undefined;
    }
    const chain = cert.caChain.filter((p) => new X509Certificate(p).fingerprint256 !== new X509Certificate(trustedCa).fingerprint256);
    this.install({ key: keyPem, cert: cert.pem, chain: chain.join('\n'), ca: trustedCa });
    const serial = new X509Certificate(cert.pem).serialNumber;
    this.d.log.info({ serial }, 'certificate renewed');
    return serial;
  }

  /** Write the credentials atomically, then hand them to the running server. */
  private install(creds: ServerCredentials): void {
    this.d.certs.save(creds);
    rmSync(this.pendingKeyPath(), { force: true });
    this.d.useCredentials(creds);
  }

  private apply(cors: CorsPayload | undefined, config: ConfigPayload | undefined, renewal: RenewalWindow | undefined): void {
    if (cors && !cors.unchanged && Array.isArray(cors.entries)) {
      const entries = validEntries(cors.entries, this.d.log);
      this.d.origins.setDsEntries(entries);
      this.d.state.set(STATE.cors, { version: cors.version, entries });
    }
    if (config && typeof config.version === 'number') {
      this.d.state.set(STATE.config, config);
      if (config.logLevel && LOG_LEVELS.includes(config.logLevel)) this.d.log.level = config.logLevel;
    }
    const creds = this.d.certs.load();
    if (renewal && creds && Number.isFinite(Date.parse(renewal.windowStart)) && Number.isFinite(Date.parse(renewal.windowEnd))) {
      this.d.state.set(STATE.renewal, { ...renewal, serial: new X509Certificate(creds.cert).serialNumber.toLowerCase() });
    }
  }
}

/** Keep the DS entries that are well-formed; one bad entry must not drop the whole list. */
function validEntries(entries: unknown[], log: Logger): OriginEntry[] {
  const out: OriginEntry[] = [];
  for (const e of entries) {
    try {
      out.push(entryFromJson(e));
    } catch {
      log.warn('DS sent a malformed origin entry; ignored');
    }
  }
  return out;
}
