import { Command, Option } from 'commander';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { defaultDataDir } from '../config/defaults.js';
import { CertStore } from '../tls/cert-store.js';

const NICKNAME = 'Cardlink connector CA';

/** NSS databases of this user: Chromium's shared one and each Firefox profile. */
function nssDatabases(home: string): string[] {
  const dbs = [join(home, '.pki', 'nssdb')];
  for (const base of [join(home, '.mozilla', 'firefox'), join(home, 'snap', 'firefox', 'common', '.mozilla', 'firefox')]) {
    if (!existsSync(base)) continue;
    for (const d of readdirSync(base, { withFileTypes: true })) {
      if (d.isDirectory() && existsSync(join(base, d.name, 'cert9.db'))) dbs.push(join(base, d.name));
    }
  }
  return dbs;
}

/**
 * `connector trust`: install the CA into the user's NSS databases with certutil. The CA is
 * name-constrained to loopback names, so trusting it cannot vouch for any real site.
 */
export function trustCommand(): Command {
  return new Command('trust')
    .description("Trust the connector's CA in this user's browsers (NSS: Chromium, Firefox)")
    .addOption(new Option('--data-dir <dir>', 'connector data dir').default(defaultDataDir()))
    .action(async (o: { dataDir: string }) => {
      const store = new CertStore(resolve(o.dataDir));
      await store.ensure();
      const caPath = store.paths.ca;
      const home = process.env.HOME ?? homedir();
      let certutil = true;
      try {
        execFileSync('certutil', ['-H'], { stdio: 'ignore' });
      } catch (e) {
        certutil = (e as { code?: string }).code !== 'ENOENT';
      }
      process.stdout.write(`CA certificate: ${caPath}\n`);
      if (!certutil) {
        process.stderr.write('certutil not found: install it (Debian/Ubuntu: apt install libnss3-tools; Fedora: dnf install nss-tools).\n');
      } else {
        for (const db of nssDatabases(home)) {
          if (!existsSync(join(db, 'cert9.db'))) {
            mkdirSync(db, { recursive: true, mode: 0o700 });
            execFileSync('certutil', ['-N', '-d', `sql:${db}`, '--empty-password']);
          }
          // Replace an older CA of ours (a new data dir means a new CA).
          try {
            execFileSync('certutil', ['-D', '-d', `sql:${db}`, '-n', NICKNAME], { stdio: 'ignore' });
          } catch {
            // not present yet
          }
          execFileSync('certutil', ['-A', '-d', `sql:${db}`, '-n', NICKNAME, '-t', 'C,,', '-i', caPath]);
          process.stdout.write(`trusted in NSS database ${db}\n`);
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
