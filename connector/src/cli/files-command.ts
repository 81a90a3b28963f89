import { isLabel, TOKEN_RULE } from '@cardlink/ds-protocol';
import { Command, Option } from 'commander';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultDataDir } from '../config/defaults.js';
import { OptionError } from '../config/options.js';
import { DEFAULT_MAX_SIZE, TYPE_NAME, formatSize, parseSize, readFileTypes, writeFileTypes } from '../files/file-types.js';

function load(dataDir: string) {
  try {
    return readFileTypes(dataDir);
  } catch (e) {
    throw new OptionError(`cannot read ${dataDir}/file-types.json: ${(e as Error).message}`);
  }
}

const dataDirOption = () => new Option('--data-dir <dir>', 'connector data dir').default(defaultDataDir());

function parseLabels(value: string): string[] {
  const labels = [...new Set(value.split(',').map((l) => l.trim()).filter((l) => l.length > 0))];
  if (labels.length === 0) throw new OptionError('--labels needs at least one application label');
  for (const l of labels) if (!isLabel(l)) throw new OptionError(`invalid label "${l}" (${TOKEN_RULE})`);
  return labels;
}

function parseMaxSize(value: string): number {
  try {
    return parseSize(value);
  } catch (e) {
    throw new OptionError(`--max-size: ${(e as Error).message}`);
  }
}

/**
 * `connector files map|unmap|list`: which named file types pages may use, the local folder
 * behind each, the application labels allowed to use it and its size limit. Kept in
 * `<data-dir>/file-types.json`; a running connector picks changes up at its next request.
 */
export function filesCommand(): Command {
  const files = new Command('files').description('Map named file types to local folders for web applications');

  files
    .command('map')
    .description('Map <type> to <folder> for the given application labels (replaces an existing mapping)')
    .argument('<type>', 'type name pages use, e.g. invoices')
    .argument('<folder>', 'local folder (must exist)')
    .addOption(new Option('--labels <labels>', 'comma-separated application labels allowed to use the type').makeOptionMandatory())
    .addOption(new Option('--max-size <size>', 'largest file pages may store, e.g. 50MB').default(formatSize(DEFAULT_MAX_SIZE)))
    .addOption(dataDirOption())
    .action((type: string, folder: string, o: { labels: string; maxSize: string; dataDir: string }) => {
      if (!TYPE_NAME.test(type)) throw new OptionError(`invalid type name "${type}" (letters, digits, . _ -, at most 64)`);
      const labels = parseLabels(o.labels);
      const maxSize = parseMaxSize(o.maxSize);
      const abs = resolve(folder);
      let isDir = false;
      try {
        isDir = statSync(abs).isDirectory();
      } catch {
        // reported below
      }
      if (!isDir) throw new OptionError(`folder ${abs} does not exist or is not a directory`);
      const dataDir = resolve(o.dataDir);
      const types = load(dataDir).filter((t) => t.name !== type);
      types.push({ name: type, folder: abs, labels, maxSize });
      writeFileTypes(dataDir, types);
      process.stdout.write(`mapped ${type} -> ${abs} for ${labels.join(', ')} (max ${formatSize(maxSize)})\n`);
    });

  files
    .command('unmap')
    .description('Remove the mapping of <type> (the folder and its files stay)')
    .argument('<type>')
    .addOption(dataDirOption())
    .action((type: string, o: { dataDir: string }) => {
      const dataDir = resolve(o.dataDir);
      const types = load(dataDir);
      const rest = types.filter((t) => t.name !== type);
      if (rest.length === types.length) throw new OptionError(`no file type named "${type}"`);
      writeFileTypes(dataDir, rest);
      process.stdout.write(`unmapped ${type}\n`);
    });

  files
    .command('list')
    .description('List the mapped file types')
    .addOption(dataDirOption())
    .addOption(new Option('--json', 'print JSON'))
    .action((o: { dataDir: string; json?: boolean }) => {
      const types = load(resolve(o.dataDir));
      if (o.json) {
        process.stdout.write(`${JSON.stringify(types, null, 2)}\n`);
        return;
      }
      if (types.length === 0) {
        process.stdout.write('no file types mapped\n');
        return;
      }
      for (const t of types) process.stdout.write(`${t.name}\t${t.folder}\tlabels=${t.labels.join(',')}\tmax=${formatSize(t.maxSize)}\n`);
    });

  return files;
}
