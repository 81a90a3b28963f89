// Starts the whole system on one machine on an embedded default and stops it on Ctrl-C:
// a Distribution Service on SQLite with an application whose origin is the demo site, a
// connector registered to it, a virtual eID card (in a vpcd reader through pcscd when
// available, else in-process), a folder shared with the demo as the file type `documents`,
// and the demo site.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const home = process.env.CARDLINK_HOME ?? join(root, '.data');
const DS_PORT = Number(process.env.CARDLINK_DS_PORT ?? 51990);
const CONNECTOR_PORT = Number(process.env.CARDLINK_CONNECTOR_PORT ?? 51983);
const DEMO_PORT = Number(process.env.CARDLINK_DEMO_PORT ?? 5173);
const DEMO_ORIGIN = `http://localhost:${DEMO_PORT}`;
const DEMO_LEGACY_ORIGIN = `http://127.0.0.1:${DEMO_PORT}`;
const ds = (...args) => [join(root, 'distribution-service/bin/ds.mjs'), ...args, '--db', join(home, 'ds/ds.sqlite')];
const connectorBin = join(root, 'connector/bin/connector.mjs');
const connectorData = join(home, 'connector');
const FILE_TYPE = 'documents';
const sharedFolder = join(home, 'files', FILE_TYPE);

mkdirSync(join(home, 'ds'), { recursive: true });

// 0. Build the demo site (and the SDK it embeds) first, pointed at this connector.
const demo = existsSync(join(root, 'demo-site/package.json'));
if (demo) {
  process.stdout.write('[demo] building the demo site...\n');
  try {
    execFileSync('pnpm', ['--filter', '@cardlink/demo-site...', 'run', 'build'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, VITE_CONNECTOR_URL: `https://localhost:${CONNECTOR_PORT}` },
    });
  } catch (e) {
    process.stderr.write(`${e.stdout ?? ''}${e.stderr ?? ''}[demo] build failed\n`);
    process.exit(1);
  }
}

/** Run a ds admin command; "already exists" is fine on a second start. */
function dsAdmin(...args) {
  try {
    return execFileSync(process.execPath, ds(...args), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (e) {
    if (/CONFLICT/.test(String(e.stderr))) return '';
    throw e;
  }
}

const canConnect = (port) =>
  new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

const children = [];
let stopping = false;
function start(name, cmd, args, opts = {}) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: root, ...opts });
  const ready = new Promise((resolve) => {
    for (const stream of [child.stdout, child.stderr]) {
      let buf = '';
      stream.on('data', (c) => {
        buf += c;
        let i;
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          if (opts.ready?.test(line)) resolve(line);
          if (!opts.quiet || !opts.ready?.test(line)) process.stdout.write(`[${name}] ${line}\n`);
        }
      });
    }
  });
  child.on('exit', (code, signal) => {
    process.stdout.write(stopping && (code === 0 || signal) ? `[${name}] stopped\n` : `[${name}] exited (${signal ?? code})\n`);
    if (!stopping) stop(1);
  });
  children.push(child);
  return ready;
}

// 1. The DS and its demo organisation, application and origin (idempotent).
dsAdmin('org', 'create', 'demo');
dsAdmin('app', 'create', '--org', 'demo', '--label', 'demo', '--name', 'Demo site');
dsAdmin('origin', 'add', '--org', 'demo', '--label', 'demo', DEMO_ORIGIN);
// The demo application: PIN on the connector's page, consent asked once per origin. The same
// site reached as http://127.0.0.1:PORT is the "legacy" application: its pages take the PIN.
dsAdmin('app', 'settings', '--org', 'demo', '--label', 'demo', '--pin-entry', 'CONNECTOR_PAGE', '--consent', 'ONCE_PER_ORIGIN');
dsAdmin('app', 'create', '--org', 'demo', '--label', 'demo-legacy', '--name', 'Demo site (legacy PIN entry)');
dsAdmin('app', 'settings', '--org', 'demo', '--label', 'demo-legacy', '--pin-entry', 'HOST_PAGE');
dsAdmin('origin', 'add', '--org', 'demo', '--label', 'demo-legacy', DEMO_LEGACY_ORIGIN);
const tokenFile = join(home, 'ds/install-token');
if (!existsSync(join(connectorData, 'connector.db'))) {
  writeFileSync(tokenFile, dsAdmin('token', 'create', '--org', 'demo', '--uses', '1'), { mode: 0o600 });
}
await start('ds', process.execPath, [...ds('serve', '--port', String(DS_PORT), '--data-dir', join(home, 'ds'))], {
  ready: /"listening"/,
});

// 2. The virtual card: a real PC/SC path when pcscd runs with the vpcd driver.
const vpcd = await canConnect(35963);
const cardArgs = vpcd ? [] : ['--virtual-card', '1.7'];
if (vpcd) {
  await start('card', process.execPath, [join(root, 'virtual-card/bin/virtual-card.mjs'), 'insert', '--reader', '0', '--profile', '1.7', '--data-dir', join(home, 'virtual-card')], {
    ready: /inserted|reader/i,
  });
}

// 3. The connector, registered to the DS at first start.
await start(
  'connector',
  process.execPath,
  [connectorBin, 'start', '--port', String(CONNECTOR_PORT), '--data-dir', connectorData, '--ds.url', `http://127.0.0.1:${DS_PORT}`,
    '--ds.token-file', tokenFile, '--ds.cycle', '300', '--ds.initial-delay-max', '10', '--log-level', 'warn', ...cardArgs],
  { ready: /ready on/ },
);
// Registration swaps in the DS-issued certificate: wait for it before telling what to trust.
for (let i = 0; i < 100; i++) {
  const status = JSON.parse(execFileSync(process.execPath, [connectorBin, 'status', '--json', '--data-dir', connectorData], { encoding: 'utf8' }));
  if (status.ds?.deviceId && status.ds?.lastResult === 'ok') break;
  await new Promise((r) => setTimeout(r, 200));
}

// 4. A folder shared with the demo's pages as the file type `documents` (Files and Print
// pages), with a sample file; mapped with the connector's own CLI, which the running
// connector picks up at its next request. A mapping made by hand is kept as it is.
const connectorCli = (...args) => execFileSync(process.execPath, [connectorBin, ...args, '--data-dir', connectorData], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
let shared = null;
try {
  shared = JSON.parse(connectorCli('files', 'list', '--json')).find((t) => t.name === FILE_TYPE) ?? null;
  if (!shared) {
    mkdirSync(sharedFolder, { recursive: true, mode: 0o700 });
    connectorCli('files', 'map', FILE_TYPE, sharedFolder, '--labels', 'demo', '--max-size', '50MB');
    shared = { folder: sharedFolder };
  }
} catch (e) {
  process.stderr.write(`[files] could not map the demo folder: ${String(e.stderr ?? e.message).trim()}\n`);
}
if (shared?.folder === sharedFolder && !existsSync(join(sharedFolder, 'welcome.txt'))) {
  writeFileSync(
    join(sharedFolder, 'welcome.txt'),
    [
      'Welcome to the Cardlink demo.',
      '',
      `This file sits in ${sharedFolder}, shared with the demo as the file type "${FILE_TYPE}".`,
      'On the Files page, "Upload" reads it into the page; "Download" stores a file from the page here.',
      'On the Print page, print it on the PDF printer.',
      '',
    ].join('\n'),
  );
}

// Printing goes through CUPS; cups-pdf's `PDF` printer writes PDFs to its `Out` folder.
function cupsPdfOut() {
  let out = '/var/spool/cups-pdf/${USER}';
  try {
    for (const line of readFileSync('/etc/cups/cups-pdf.conf', 'utf8').split('\n')) {
      const m = /^\s*Out\s+(\S+)\s*$/.exec(line);
      if (m) out = m[1];
    }
  } catch {
    // not installed: the default
  }
  const { username, homedir } = userInfo();
  return out.replace(/\$\{HOME\}/g, homedir).replace(/\$\{USER\}/g, username);
}
let printer = 'none (start CUPS: bash scripts/services.sh cupsd)';
try {
  execFileSync('lpstat', ['-p', 'PDF'], { stdio: 'ignore' });
  printer = `PDF (cups-pdf), PDFs land in ${cupsPdfOut()}`;
} catch {
  // no CUPS or no PDF printer: the Print page says so
}

// 5. The demo site (built above), served by vite preview.
if (demo) {
  // vite itself, not through `pnpm exec`: Ctrl-C then reaches one process that exits cleanly.
  await start('demo', process.execPath, [join(root, 'demo-site/node_modules/vite/bin/vite.js'), 'preview', '--port', String(DEMO_PORT), '--strictPort', '--host', 'localhost'], {
    cwd: join(root, 'demo-site'),
    ready: /localhost/,
  });
}

process.stdout.write(
  [
    '',
    'Cardlink is running:',
    `  Demo site:             ${demo ? `${DEMO_ORIGIN} (PIN typed on the connector's page)` : '(not built yet)'}`,
    `  Legacy demo:           ${demo ? `${DEMO_LEGACY_ORIGIN} (application demo-legacy: PIN typed in the page)` : '(not built yet)'}`,
    `  Connector settings:    https://localhost:${CONNECTOR_PORT}/settings (allowed applications, consents)`,
    `  Connector (GraphQL):   https://localhost:${CONNECTOR_PORT}/graphql`,
    `  Distribution Service:  http://127.0.0.1:${DS_PORT}`,
    `  Virtual eID card:      ${vpcd ? 'in vpcd reader "Virtual PCD 00 00" through pcscd (real PC/SC path)' : 'in-process (pcscd with vpcd not found), PIN 1234'}`,
    `  Shared folder:         ${shared ? `${shared.folder} (file type "${FILE_TYPE}", for the demo's Files and Print pages)` : '(none: see the [files] message above)'}`,
    `  Printer:               ${printer}`,
    '',
    'Trust the connector certificate once, then restart the browser:',
    `  node connector/bin/connector.mjs trust --data-dir ${connectorData}`,
    '',
    'Press Ctrl-C to stop everything.',
    '',
  ].join('\n'),
);

function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const c of [...children].reverse()) if (c.exitCode === null) c.kill('SIGTERM');
  const force = setTimeout(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    process.exit(code);
  }, 5000);
  force.unref();
  Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.on('exit', r))))).then(() =>
    process.exit(code),
  );
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

