import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SOFTHSM_LIB = '/usr/lib/softhsm/libsofthsm2.so';
export const USER_PIN = '1234';

export interface TestKey {
  /** CKA_ID, hex. */
  id: string;
  label: string;
  certPem: string;
}

export interface SoftHsmToken {
  dir: string;
  conf: string;
  label: string;
  rsa: TestKey;
  ec: TestKey;
  /** Environment a process needs to see this token. */
  env: { SOFTHSM2_CONF: string };
  remove(): void;
}

const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv) => execFileSync(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });

/**
 * A SoftHSM2 token in a temp SOFTHSM2_CONF directory, with an RSA-2048 and an EC P-256 key
 * (made by openssl, imported with softhsm2-util) and a self-signed certificate for each
 * (written with pkcs11-tool under the key's id).
 */
export function createSoftHsmToken(label = 'cardlink-test'): SoftHsmToken {
  const dir = mkdtempSync(join(tmpdir(), 'cardlink-softhsm-'));
  mkdirSync(join(dir, 'tokens'));
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  const env = { SOFTHSM2_CONF: conf };
  run('softhsm2-util', ['--init-token', '--free', '--label', label, '--pin', USER_PIN, '--so-pin', '87654321'], env);
  const key = (name: string, id: string, genArgs: string[], subject: string): TestKey => {
    const keyPem = join(dir, `${name}.key.pem`);
    const certPem = join(dir, `${name}.cert.pem`);
    const certDer = join(dir, `${name}.cert.der`);
    run('openssl', ['genpkey', ...genArgs, '-out', keyPem], env);
    run('openssl', ['req', '-x509', '-key', keyPem, '-subj', subject, '-days', '30', '-out', certPem], env);
    run('openssl', ['x509', '-in', certPem, '-outform', 'DER', '-out', certDer], env);
    run('softhsm2-util', ['--import', keyPem, '--token', label, '--label', name, '--id', id, '--pin', USER_PIN], env);
    run('pkcs11-tool', ['--module', SOFTHSM_LIB, '--token-label', label, '--login', '--pin', USER_PIN, '--write-object', certDer, '--type', 'cert', '--id', id, '--label', name], env);
    rmSync(keyPem);
    return { id, label: name, certPem: readFileSync(certPem, 'utf8') };
  };
  const rsa = key('rsa', '01', ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'], '/CN=Cardlink RSA test');
  const ec = key('ec', '02', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'], '/CN=Cardlink EC test');
  return { dir, conf, label, rsa, ec, env, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
