import { Command, Option } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { defaultDataDir } from '../config/defaults.js';
import { CertStore } from '../tls/cert-store.js';
import { caNickname, certutilAvailable, nssDatabases, trustCa, untrustCa } from './nss-trust.js';

const CERTUTIL_MISSING = 'certutil not found: install it (Debian/Ubuntu: apt install libnss3-tools; Fedora: dnf install nss-tools).\n';

/**
 * `connector trust`: install the CA into the user's NSS databases with certutil, under a
 * nickname of its own, next to other connectors' CAs. The CA is name-constrained to
 * loopback names, so trusting it cannot vouch for any real site.
 */
export function trustCommand(): Command {
  return new Command('trust')
    .description("Trust the connector's CA in this user's browsers (NSS: Chromium, Firefox); other trusted connector CAs stay")
    .addOption(new Option('--data-dir <dir>', 'connector data dir').default(defaultDataDir()))
    .action(async (o: { dataDir: string }) => {
      const store = new CertStore(resolve(o.dataDir));
      await store.ensure();
      const caPath = store.paths.ca;
      const caPem = readFileSync(caPath, 'utf8');
      process.stdout.write(`CA certificate: ${caPath}\nNSS nickname: ${caNickname(caPem)}\n`);
      if (!certutilAvailable()) {
        process.stderr.write(CERTUTIL_MISSING);
      } else {
        for (const db of nssDatabases(process.env.HOME ?? homedir())) {
          const change = trustCa(db, caPem, caPath);
          process.stdout.write(`${change === 'added' ? 'trusted in' : 'already trusted in'} NSS database ${db.path} (${db.browser})\n`);
        }
      }
      process.stdout.write(
        [
          'Other systems:',
          `  macOS:   sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain "${caPath}"`,
          `  Windows: certutil -addstore -user Root "${caPath}"`,
          '  Restart the browser afterwards.',
          '',
        ].join('\n'),
      );
    });
}

/** `connector untrust`: remove this data dir's CA from the user's NSS databases; other CAs stay. */
export function untrustCommand(): Command {
  return new Command('untrust')
    .description("Remove the connector's CA from this user's browsers (NSS: Chromium, Firefox); other connector CAs stay")
    .addOption(new Option('--data-dir <dir>', 'connector data dir').default(defaultDataDir()))
    .action(async (o: { dataDir: string }) => {
      const caPath = new CertStore(resolve(o.dataDir)).paths.ca;
      if (!existsSync(caPath)) {
        process.stderr.write(`no CA certificate at ${caPath}: nothing to untrust for this data dir\n`);
        process.exitCode = 1;
        return;
      }
      const caPem = readFileSync(caPath, 'utf8');
      process.stdout.write(`CA certificate: ${caPath}\nNSS nickname: ${caNickname(caPem)}\n`);
      if (!certutilAvailable()) {
        process.stderr.write(CERTUTIL_MISSING);
        process.exitCode = 1;
        return;
      }
      for (const db of nssDatabases(process.env.HOME ?? homedir())) {
        const change = untrustCa(db, caPem);
        process.stdout.write(`${change === 'removed' ? 'removed from' : 'not present in'} NSS database ${db.path} (${db.browser})\n`);
      }
      process.stdout.write('Restart the browser afterwards.\n');
    });
}
