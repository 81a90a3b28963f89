import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packDist } from '../../src/release/package.js';
import { unpackFiles, type PackageFile } from '../../src/release/tar.js';
import { linkNativeModules, NATIVE_MODULES } from '../../src/update/native-links.js';

// What a release ships: `node build.mjs` with a version, packed as `connector release pack` does.
// The card emulator is a development tool and must not be in it.
const CONNECTOR = fileURLToPath(new URL('../../', import.meta.url));
const EMULATOR_DIR = fileURLToPath(new URL('../../../virtual-card/', import.meta.url));
const EMULATOR_BUNDLE = join(EMULATOR_DIR, 'dist/virtual-card.mjs');
const VERSION = '9.8.7';
// Strings that exist only in the emulator's code (error names it sets, a check on card numbers).
const EMULATOR_MARKERS = ['CardRemovedError', 'CardPoweredOffError', 'card number base must be 10 digits'];

let dir: string;
let out: string;
let files: PackageFile[];

/** The source files a source map lists, as absolute paths (they are relative to the map's folder). */
const sourcesOf = (map: Buffer | string, mapDir: string): string[] =>
  (JSON.parse(map.toString()) as { sources: string[] }).sources.map((s) => resolve(mapDir, s));
const emulatorSources = (sources: string[]) => sources.filter((s) => s.startsWith(join(EMULATOR_DIR, 'src/')));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cardlink-release-bundle-'));
  out = join(dir, 'dist');
  await promisify(execFile)(process.execPath, ['build.mjs'], { cwd: CONNECTOR, env: { ...process.env, CARDLINK_BUILD_VERSION: VERSION, CARDLINK_BUILD_OUTDIR: out } });
  files = unpackFiles(packDist(out, VERSION, { sourceMaps: true }));
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the release package', () => {
  it('holds no emulator code: no virtual-card source in any source map, no emulator string in any file', () => {
    const maps = files.filter((f) => f.name.endsWith('.map'));
    const sources = maps.flatMap((f) => sourcesOf(f.data, dirname(join(out, f.name))));
    // The maps do list what is bundled (the in-process reader the emulator plugs into is there)...
    expect(sources).toContain(join(CONNECTOR, 'src/card/virtual/in-process-readers.ts'));
    // ...and nothing of the emulator package.
    expect(emulatorSources(sources)).toEqual([]);
    const code = files.filter((f) => f.name.endsWith('.mjs'));
    expect(code.length).toBeGreaterThan(2);
    for (const f of code) for (const m of EMULATOR_MARKERS) expect(f.data.includes(m), `${f.name} contains ${m}`).toBe(false);
    // The one trace is the import `--virtual-card` tries at run time.
    expect(code.some((f) => f.data.includes('@cardlink/virtual-card/bundle'))).toBe(true);
  });

  it('the same checks find the emulator in its own development bundle', () => {
    expect(emulatorSources(sourcesOf(readFileSync(`${EMULATOR_BUNDLE}.map`), dirname(EMULATOR_BUNDLE))).length).toBeGreaterThan(5);
    const code = readFileSync(EMULATOR_BUNDLE);
    for (const m of EMULATOR_MARKERS) expect(code.includes(m), m).toBe(true);
  });
});

/** Unpack the package (no source maps) into a folder of its own, as a staged version is. */
function install(name: string): string {
  const root = join(dir, name);
  for (const f of files) {
    if (f.name.endsWith('.map')) continue;
    mkdirSync(dirname(join(root, f.name)), { recursive: true });
    writeFileSync(join(root, f.name), f.data);
  }
  return root;
}

function start(entry: string, dataDir: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env };
    delete env.CARDLINK_FROM_SOURCE;
    const child = spawn(process.execPath, [entry, 'start', '--port', '0', '--data-dir', dataDir, '--virtual-card', '1.7', '--log-level', 'warn'], { env });
    let out = '';
    const onData = (c: Buffer) => {
      out += c.toString();
      if (/connector ready on /.test(out)) child.kill('SIGTERM');
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => resolve({ code, out }));
  });
}

describe('--virtual-card with a release bundle', () => {
  it('is refused with a clear error where the emulator is not installed (a release install)', async () => {
    const root = install('release-install');
    // Only the native modules, as on a user's machine.
    mkdirSync(join(root, 'node_modules'));
    for (const name of NATIVE_MODULES) symlinkSync(join(CONNECTOR, 'node_modules', name), join(root, 'node_modules', name), 'junction');
    const r = await start(join(root, 'connector.mjs'), join(dir, 'data-release'));
    expect(r.code).toBe(2);
    expect(r.out).toContain('--virtual-card needs the development card emulator (@cardlink/virtual-card), which release installations do not include');
  });

  it('runs the emulator in a development checkout, where a staged version links it like the native modules', async () => {
    const root = install('dev-install');
    expect(linkNativeModules(root)).toEqual([...NATIVE_MODULES, '@cardlink/virtual-card']);
    const r = await start(join(root, 'connector.mjs'), join(dir, 'data-dev'));
    expect(r.out).toMatch(/connector ready on https:\/\/127\.0\.0\.1:\d+\/graphql/);
    expect(r.code).toBe(0);
  });
});
