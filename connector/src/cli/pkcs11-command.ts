import { Command, Option } from 'commander';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultDataDir } from '../config/defaults.js';
import { OptionError } from '../config/options.js';
import { DEBIAN_DEFAULTS, LIBRARY_NAME, effectiveLibraries, readConfiguredLibraries, writeConfiguredLibraries } from '../card/modules/pkcs11/libraries.js';
import { Pkcs11Service } from '../card/modules/pkcs11/pkcs11-service.js';

function load(dataDir: string) {
  try {
    return readConfiguredLibraries(dataDir);
  } catch (e) {
    throw new OptionError(`cannot read ${dataDir}/pkcs11-libraries.json: ${(e as Error).message}`);
  }
}

const dataDirOption = () => new Option('--data-dir <dir>', 'connector data dir').default(defaultDataDir());

/** Load the library in a host process and ask C_GetInfo: a file that is no PKCS#11 library is refused at once. */
async function probe(name: string, path: string): Promise<string> {
  const service = new Pkcs11Service(undefined, { libraries: () => [{ name, path, source: 'CONFIGURED' }], callTimeoutMs: 10_000 });
  try {
    const [status] = await service.libraries();
    if (!status?.info) throw new OptionError(`${path}: ${status?.error?.message ?? 'not usable'}`);
    return `${status.info.manufacturer} ${status.info.description} ${status.info.version}`;
  } finally {
    await service.close();
  }
}

/**
 * `connector pkcs11 add|remove|list`: the PKCS#11 libraries of this machine, kept in
 * `<data-dir>/pkcs11-libraries.json` (a running connector picks changes up at its next listing).
 * Debian's OpenSC and SoftHSM2 libraries are used without configuration when installed.
 */
export function pkcs11Command(): Command {
  const cmd = new Command('pkcs11').description('Configure the PKCS#11 libraries tokens are read through');

  cmd
    .command('add')
    .description('Use the PKCS#11 library at <path> under <name> (replaces a library of that name)')
    .argument('<name>', 'name pages see in token ids, e.g. opensc')
    .argument('<path>', 'path to the library (.so)')
    .addOption(new Option('--skip-check', 'do not load the library to check it is a PKCS#11 library'))
    .addOption(dataDirOption())
    .action(async (name: string, path: string, o: { dataDir: string; skipCheck?: boolean }) => {
      if (!LIBRARY_NAME.test(name)) throw new OptionError(`invalid library name "${name}" (letters, digits, . _ -, at most 64)`);
      const abs = resolve(path);
      let isFile = false;
      try {
        isFile = statSync(abs).isFile();
      } catch {
        // reported below
      }
      if (!isFile) throw new OptionError(`${abs} does not exist or is not a file`);
      const described = o.skipCheck ? 'not checked' : await probe(name, abs);
      const dataDir = resolve(o.dataDir);
      const cfg = load(dataDir);
      const rest = cfg.configured.filter((l) => l.name !== name);
      // Adding a default's name back re-enables it under the given path.
      writeConfiguredLibraries(dataDir, [...rest, { name, path: abs }], cfg.disabledDefaults.filter((n) => n !== name));
      process.stdout.write(`added ${name} -> ${abs} (${described})\n`);
    });

  cmd
    .command('remove')
    .description('Stop using the library named <name> (a configured one, or a Debian default such as opensc)')
    .argument('<name>')
    .addOption(dataDirOption())
    .action((name: string, o: { dataDir: string }) => {
      const dataDir = resolve(o.dataDir);
      const cfg = load(dataDir);
      const rest = cfg.configured.filter((l) => l.name !== name);
      const isDefault = DEBIAN_DEFAULTS.some((d) => d.name === name);
      if (rest.length === cfg.configured.length && !isDefault) throw new OptionError(`no library named "${name}"`);
      writeConfiguredLibraries(dataDir, rest, isDefault ? [...cfg.disabledDefaults, name] : cfg.disabledDefaults);
      process.stdout.write(`removed ${name}\n`);
    });

  cmd
    .command('list')
    .description('List the libraries in use: configured ones, then Debian defaults found on this machine')
    .addOption(dataDirOption())
    .addOption(new Option('--json', 'print JSON'))
    .action((o: { dataDir: string; json?: boolean }) => {
      const libs = effectiveLibraries(load(resolve(o.dataDir)));
      if (o.json) {
        process.stdout.write(`${JSON.stringify(libs, null, 2)}\n`);
        return;
      }
      if (libs.length === 0) {
        process.stdout.write('no PKCS#11 libraries\n');
        return;
      }
      for (const l of libs) process.stdout.write(`${l.name}\t${l.path}\t${l.source.toLowerCase()}\n`);
    });

  return cmd;
}
