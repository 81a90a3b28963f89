// Client of the start script's control socket: one JSON command, one JSON answer.
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const socketPath = join(process.env.CARDLINK_HOME ?? join(root, '.data'), 'run', 'control.sock');
const [action, profile] = process.argv.slice(2);
if (action !== 'remove' && action !== 'insert') {
  process.stderr.write('usage: scripts/card.sh remove | insert [1.7|1.8]\n');
  process.exit(2);
}
const socket = connect(socketPath);
let answer = '';
socket.setEncoding('utf8');
socket.on('connect', () => socket.write(`${JSON.stringify({ action, ...(profile ? { profile } : {}) })}\n`));
socket.on('data', (c) => (answer += c));
socket.on('error', (e) => {
  const why = e.code === 'ENOENT' || e.code === 'ECONNREFUSED' ? 'bash scripts/start.sh is not running' : e.message;
  process.stderr.write(`card: ${why} (no control socket at ${socketPath})\n`);
  process.exit(1);
});
socket.on('end', () => {
  let r;
  try {
    r = JSON.parse(answer);
  } catch {
    r = { ok: false, message: `unexpected answer: ${answer.slice(0, 200)}` };
  }
  (r.ok ? process.stdout : process.stderr).write(`card: ${r.message}\n`);
  process.exit(r.ok ? 0 : 1);
});
