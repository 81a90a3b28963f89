import type { Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import type { RunningConnector } from '../app.js';
import type { StartOptions } from '../config/options.js';
import { CONNECTOR_VERSION } from '../version.js';
import { UpdateAgent } from '../update/agent.js';
import { pinReleaseKey } from '../update/key-pin.js';
import { CONNECTION, isMessage, type ConnectionMessage, type FromWorker, type ToWorker } from './protocol.js';

/** How long a draining worker lets idle keep-alive sockets live before closing them. */
const DRAIN_IDLE_MS = 1500;

/**
 * `connector start --worker`: the connector runs as the supervisor's child. Its HTTPS server
 * never listens: it serves the sockets the supervisor hands over (like a cluster worker).
 */
export function runAsWorker(running: RunningConnector, opts: StartOptions): void {
  const send = (m: FromWorker) => {
    if (process.connected) process.send?.(m);
  };
  const { server, log } = running;
  // Sets up Node's connection tracking (header/request timeouts, closeIdleConnections) as listen() would.
  server.emit('listening');

  let inFlight = 0;
  let lastActivity = Date.now();
  let draining = false;
  let drainTimer: NodeJS.Timeout | undefined;
  let active = false;
  let exiting = false;

  server.prependListener('request', (_req, res) => {
    inFlight++;
    lastActivity = Date.now();
    // Not routed any more: answer, then close the connection so the client's next request
    // opens a new one, which the supervisor sends to the new worker.
    if (draining) res.setHeader('connection', 'close');
    res.once('close', () => {
      inFlight--;
      lastActivity = Date.now();
    });
  });

  // Without a pinned release key this connector cannot update: it sends no updateStatus and gets no offers.
  const publicKey = pinReleaseKey(opts.dataDir);
  if (running.ds && opts.dsUrl && publicKey) {
    running.ds.client.updates = new UpdateAgent({
      dataDir: opts.dataDir,
      dsUrl: opts.dsUrl,
      ...(opts.dsCaFile ? { dsCa: readFileSync(opts.dsCaFile, 'utf8') } : {}),
      version: CONNECTOR_VERSION,
      publicKey,
      log,
      send,
    });
  }

  const exit = async () => {
    if (exiting) return;
    exiting = true;
    clearInterval(drainTimer);
    const deadline = Date.now() + 5000;
    while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await running.close().catch(() => undefined);
    process.exit(0);
  };

  process.on('message', (m: unknown, handle: unknown) => {
    if (m === CONNECTION) {
      if (handle) server.emit('connection', handle as Socket);
      return;
    }
    if (!isMessage(m)) return;
    if (m.t === 'connection') {
      send({ t: 'took', id: (m as ConnectionMessage).id });
      if (handle) server.emit('connection', handle as Socket);
      return;
    }
    const msg = m as ToWorker;
    switch (msg.t) {
      case 'activate':
        if (!active) {
          active = true;
          running.ds?.scheduler.start();
        }
        break;
      case 'drain':
        draining = true;
        clearInterval(drainTimer);
        drainTimer = setInterval(() => server.closeIdleConnections(), DRAIN_IDLE_MS);
        active = false;
        void (running.ds?.scheduler.stop() ?? Promise.resolve()).finally(() => send({ t: 'drained' }));
        break;
      case 'undrain':
        draining = false;
        clearInterval(drainTimer);
        break;
      case 'exit':
        void exit();
        break;
      case 'sync-now':
        if (active) void running.ds?.scheduler.syncNow();
        break;
      case 'idle?':
        send({ t: 'idle', inFlight, idleMs: Date.now() - lastActivity });
        break;
    }
  });
  // The supervisor is gone (killed): never linger as an orphan.
  process.on('disconnect', () => void exit());
  send({ t: 'ready', version: CONNECTOR_VERSION, pid: process.pid });
}
