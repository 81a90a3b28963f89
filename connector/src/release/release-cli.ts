import { Command, Option } from 'commander';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { manifestFor, RELEASE_FLAGS, signManifest, verifyRelease, checkPackage, type ReleaseFlag, type SignedRelease } from './manifest.js';
import { packDist, readPackage } from './package.js';

/**
 * `connector release ...`: the offline side of updates. The private key stays with whoever
 * builds releases; the DS only ever sees packages and signed manifests.
 */
export function releaseCommand(): Command {
  const release = new Command('release').description('build, sign and check update packages (offline; the DS never holds the key)');
  release
    .command('keygen')
    .description('create an Ed25519 release key pair: release-key.pem (private, 0600) and release-key.pub.pem')
    .requiredOption('--out <dir>', 'directory for the key files')
    .action((o: { out: string }) => {
      const dir = resolve(o.out);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const priv = join(dir, 'release-key.pem');
      const pub = join(dir, 'release-key.pub.pem');
      if (existsSync(priv)) throw new Error(`${priv} exists: refusing to overwrite a release key`);
      const { privateKey, publicKey } = generateKeyPairSync('ed25519');
      writeFileSync(priv, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
      writeFileSync(pub, publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644 });
      process.stdout.write(`private key ${priv}\npublic key  ${pub} (give to installers: connector start --update.key)\n`);
    });
  release
    .command('pack')
    .description('pack a built bundle (connector/dist) into a release package')
    .requiredOption('--dist <dir>', 'the built bundle (node build.mjs with CARDLINK_BUILD_VERSION)')
    .requiredOption('--version <version>', 'the version baked into the bundle')
    .requiredOption('--out <file>', 'package file (.tgz)')
    .option('--source-maps', 'include source maps')
    .action((o: { dist: string; version: string; out: string; sourceMaps?: boolean }) => {
      const pkg = packDist(resolve(o.dist), o.version, { sourceMaps: o.sourceMaps === true });
      writeFileSync(resolve(o.out), pkg);
      process.stdout.write(`${o.out}: ${pkg.length} bytes\n`);
    });
  release
    .command('sign')
    .description('write release.json: the manifest (version, digest, size, minimum version, flag) and its signature')
    .requiredOption('--key <file>', 'Ed25519 private key (PEM)')
    .requiredOption('--package <file>', 'the package to describe')
    .requiredOption('--version <version>', 'the version in the package')
    .requiredOption('--min-version <version>', 'oldest connector version that may install it')
    .addOption(new Option('--flag <flag>', 'how the DS offers it').choices([...RELEASE_FLAGS]).default('recommended'))
    .requiredOption('--out <file>', 'release.json to write')
    .action((o: { key: string; package: string; version: string; minVersion: string; flag: ReleaseFlag; out: string }) => {
      const pkg = readFileSync(resolve(o.package));
      readPackage(pkg, o.version);
      const manifest = manifestFor(pkg, { version: o.version, minimumVersion: o.minVersion, flag: o.flag });
      const signed = signManifest(manifest, readFileSync(resolve(o.key), 'utf8'));
      writeFileSync(resolve(o.out), `${JSON.stringify(signed, null, 2)}\n`);
      process.stdout.write(`${o.out}: ${o.version} (${o.flag}, minimum ${o.minVersion})\n`);
    });
  release
    .command('verify')
    .description('check release.json against a public key and the package')
    .requiredOption('--pub <file>', 'Ed25519 public key (PEM)')
    .requiredOption('--release <file>', 'release.json')
    .requiredOption('--package <file>', 'the package')
    .action((o: { pub: string; release: string; package: string }) => {
      const signed = JSON.parse(readFileSync(resolve(o.release), 'utf8')) as SignedRelease;
      const m = verifyRelease(signed, readFileSync(resolve(o.pub), 'utf8'));
      const pkg = readFileSync(resolve(o.package));
      checkPackage(m, pkg);
      readPackage(pkg, m.version);
      process.stdout.write(`ok: ${m.version} ${m.flag} sha256 ${m.sha256}\n`);
    });
  return release;
}
