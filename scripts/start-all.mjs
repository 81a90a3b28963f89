// Starts every part of the system on one machine and stops them all on Ctrl-C.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dataDir = process.env.CARDLINK_HOME ?? join(root, '.data');
mkdirSync(dataDir, { recursive: true });
const originsFile = join(dataDir, 'origins.json');
writeFileSync(originsFile, JSON.stringify([{ origin: 'http://localhost:5173', label: 'demo' }], null, 2));

const children = [];
function start(name, cmd, args) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: root });
  const prefix = (line) => `[${name}] ${line}`;
  for (const stream of [child.stdout, child.stderr]) {
    let buf = '';
    stream.on('data', (c) => {
      buf += c;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        process.stdout.write(`${prefix(buf.slice(0, i))}\n`);
        buf = buf.slice(i + 1);
      }
    });
  }
  child.on('exit', (code) => process.stdout.write(prefix(`exited (${code})\n`)));
  children.push(child);
  return child;
}

start('connector', process.execPath, [
  join(root, 'connector/bin/connector.mjs'), 'start', '--data-dir', join(dataDir, 'connector'), '--origins', originsFile, '--log-level', 'warn',
]);
process.stdout.write(
  [
    '',
    'Connector: https://localhost:51983/graphql',
    `Trust its certificate once: node connector/bin/connector.mjs trust --data-dir ${join(dataDir, 'connector')}`,
    'Press Ctrl-C to stop everything.',
    '',
  ].join('\n'),
);

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  for (const c of children) c.kill('SIGTERM');
  setTimeout(() => process.exit(0), 3000).unref();
  Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r() : c.on('exit', r))))).then(() => process.exit(0));
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
