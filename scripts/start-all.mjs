// Starts the whole system on one machine on an embedded default and stops it on Ctrl-C:
// a Distribution Service on SQLite with an application whose origin is the demo site and a
// dashboard admin, a connector registered to it, a virtual eID card (in a vpcd reader through
// pcscd when available, else in-process), a folder shared with the demo as the file type
// `documents`, and the demo site. A child that exits unexpectedly is reported and restarted
// (a few times) while the rest keeps running; `scripts/card.sh` removes and inserts the card.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Children } from './lib/children.mjs';

// From `bash scripts/start.sh` (it exports the time it began), else from this process.
const T0 = Number(process.env.CARDLINK_START_T0) || Math.round(performance.timeOrigin);

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
const CONTROL_SOCKET = join(home, 'run', 'control.sock');
const ADMIN_EMAIL = 'demo-admin@example.com';
const credentialsFile = join(home, 'dashboard-credentials.txt');
/** `in-process`: skip vpcd even when it is there (e.g. tests that must not take the shared reader). */
const CARD_MODE = process.env.CARDLINK_VIRTUAL_CARD ?? 'auto';
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
  return dsAdminInput(undefined, ...args);
}

function dsAdminInput(input, ...args) {
  try {
    return execFileSync(process.execPath, ds(...args), { encoding: 'utf8', input, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] }).trim();
  } catch (e) {
    if (/CONFLICT/.test(String(e.stderr))) return '';
    throw e;
  }
}

/**
 * A dashboard admin of the demo organisation with a random password, kept in
 * .data/dashboard-credentials.txt (0600). A second start reuses it; when the file is gone,
 * the password is reset to a new random one.
 */
function ensureDashboardAdmin(dashboardUrl) {
  let password = existsSync(credentialsFile) ? /^password=(.+)$/m.exec(readFileSync(credentialsFile, 'utf8'))?.[1] : undefined;
  if (!password) {
    password = randomBytes(15).toString('base64url');
    const created = dsAdminInput(password, 'user', 'create', '--email', ADMIN_EMAIL, '--role', 'admin', '--org', 'demo', '--password-file', '-');
    if (!created) dsAdminInput(password, 'user', 'passwd', '--email', ADMIN_EMAIL, '--password-file', '-');
  }
  writeFileSync(credentialsFile, `url=${dashboardUrl}\nemail=${ADMIN_EMAIL}\npassword=${password}\n`, { mode: 0o600 });
  chmodSync(credentialsFile, 0o600);
  return { email: ADMIN_EMAIL, password };
}

const canConnect = (port) =>
  new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    // Bounded: a port that neither answers nor refuses counts as no vpcd.
    s.setTimeout(2000, () => (s.destroy(), resolve(false)));
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

const children = new Children();
let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  await children.stopAll();
  rmSync(CONTROL_SOCKET, { force: true });
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

/** Start a child and wait until it is ready; a failure at first start stops everything. */
async function start(name, cmd, args, opts = {}) {
  const { child, ready } = children.start({ name, cmd, args, cwd: root, restart: true, ...opts });
  try {
    await ready;
  } catch (e) {
    process.stderr.write(`[${name}] could not start: ${e.message}\n`);
    await stop(1);
  }
  return child;
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
const dashboardUrl = `http://127.0.0.1:${DS_PORT}/dashboard/`;
const admin = ensureDashboardAdmin(dashboardUrl);
await start('ds', process.execPath, [...ds('serve', '--port', String(DS_PORT), '--data-dir', join(home, 'ds'))], {
  ready: /"listening"/,
});

// 2. The virtual card: a real PC/SC path when pcscd runs with the vpcd driver; when vpcd does
// not answer, the connector's in-process card, said in one line.
let card = null;
let cardProfile = '1.7';
const cardSpec = (profile) => ({
  name: 'card',
  cmd: process.execPath,
  args: [join(root, 'virtual-card/bin/virtual-card.mjs'), 'insert', '--reader', '0', '--profile', profile, '--data-dir', join(home, 'virtual-card')],
  cwd: root,
  ready: /inserted/i,
  restart: true,
  silentUntilReady: true,
});
async function insertCard(profile) {
  const { child, ready } = children.start(cardSpec(profile));
  try {
    await ready;
    card = child;
    cardProfile = profile;
    return null;
  } catch (e) {
    children.forget(child);
    return e.message;
  }
}
let vpcd = CARD_MODE !== 'in-process' && (await canConnect(35963));
/** Why the card is the connector's in-process one (when it is). */
let cardNote = CARD_MODE === 'in-process' ? 'CARDLINK_VIRTUAL_CARD=in-process' : 'pcscd with vpcd not found';
if (vpcd) {
  const failed = await insertCard('1.7');
  if (failed) {
    vpcd = false;
    cardNote = `vpcd did not take the card: ${failed}`;
    process.stdout.write(`[card] vpcd did not take the card (${failed}); using the connector's in-process card instead\n`);
  }
}
const cardArgs = vpcd ? [] : ['--virtual-card', '1.7'];

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

// 6. `scripts/card.sh remove|insert [1.7|1.8]`: one JSON line in, one JSON line out, on a
// unix socket only this user can reach.
async function cardCommand(cmd) {
  if (!vpcd) return { ok: false, message: `the card is inside the connector (in-process: ${cardNote}); it cannot be removed from outside` };
  if (cmd.action === 'remove') {
    if (!card?.running) return { ok: true, message: 'no card inserted (already removed)' };
    await children.stopOne(card);
    card = null;
    return { ok: true, message: 'card removed from vpcd reader "Virtual PCD 00 00"' };
  }
  if (cmd.action === 'insert') {
    const profile = cmd.profile ?? cardProfile;
    if (!['1.7', '1.8'].includes(profile)) return { ok: false, message: `unknown applet profile ${profile} (1.7 or 1.8)` };
    if (card?.running) {
      if (profile === cardProfile) return { ok: true, message: `an applet ${profile} card is already inserted` };
      await children.stopOne(card);
    }
    const failed = await insertCard(profile);
    return failed ? { ok: false, message: `could not insert the card: ${failed}` } : { ok: true, message: `applet ${profile} card inserted in vpcd reader "Virtual PCD 00 00"` };
  }
  return { ok: false, message: 'usage: scripts/card.sh remove | insert [1.7|1.8]' };
}
mkdirSync(join(home, 'run'), { recursive: true, mode: 0o700 });
rmSync(CONTROL_SOCKET, { force: true });
const control = createServer((socket) => {
  let buf = '';
  socket.setEncoding('utf8');
  socket.on('data', (c) => {
    buf += c;
    if (buf.length > 1024) return socket.destroy();
    const i = buf.indexOf('\n');
    if (i < 0) return;
    let cmd;
    try {
      cmd = JSON.parse(buf.slice(0, i));
    } catch {
      cmd = {};
    }
    cardCommand(cmd).then(
      (r) => {
        process.stdout.write(`[card] ${r.message}\n`);
        socket.end(`${JSON.stringify(r)}\n`);
      },
      (e) => socket.end(`${JSON.stringify({ ok: false, message: e.message })}\n`),
    );
  });
  socket.on('error', () => {});
});
await new Promise((r) => control.listen(CONTROL_SOCKET, r));
chmodSync(CONTROL_SOCKET, 0o600);

const startedIn = ((Date.now() - T0) / 1000).toFixed(1);
process.stdout.write(
  [
    '',
    'Cardlink is running:',
    `  Demo site:             ${demo ? `${DEMO_ORIGIN} (PIN typed on the connector's page)` : '(not built yet)'}`,
    `  Legacy demo:           ${demo ? `${DEMO_LEGACY_ORIGIN} (application demo-legacy: PIN typed in the page)` : '(not built yet)'}`,
    `  Connector settings:    https://localhost:${CONNECTOR_PORT}/settings (allowed applications, consents)`,
    `  Connector (GraphQL):   https://localhost:${CONNECTOR_PORT}/graphql`,
    `  Distribution Service:  http://127.0.0.1:${DS_PORT}`,
    `  Dashboard:             ${dashboardUrl}`,
    `    log in as            ${admin.email}`,
    `    password             ${admin.password}`,
    `    (admin of the organisation "demo"; also in ${credentialsFile}, readable only by you)`,
    `  Virtual eID card:      ${vpcd ? 'applet 1.7 in vpcd reader "Virtual PCD 00 00" through pcscd (real PC/SC path), PIN 1234' : `in-process (${cardNote}), applet 1.7, PIN 1234`}`,
    `  Shared folder:         ${shared ? `${shared.folder} (file type "${FILE_TYPE}", for the demo's Files and Print pages)` : '(none: see the [files] message above)'}`,
    `  Printer:               ${printer}`,
    '',
    'Trust the connector certificate once, then restart the browser:',
    `  node connector/bin/connector.mjs trust --data-dir ${connectorData}`,
    '',
    'After a change in the dashboard (e.g. a new origin), sync now instead of waiting for the 5 min cycle:',
    `  node connector/bin/connector.mjs sync --data-dir ${connectorData}`,
    '',
    ...(vpcd
      ? ['Remove or insert the card (this window keeps running):', '  bash scripts/card.sh remove', '  bash scripts/card.sh insert [1.7|1.8]', '']
      : []),
    `Started in ${startedIn} s (from the start command to running).`,
    'A part that stops unexpectedly is reported here and restarted; the rest keeps running.',
    'Press Ctrl-C to stop everything.',
    '',
  ].join('\n'),
);
