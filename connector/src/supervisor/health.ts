import { connect as netConnect, createServer, type Socket } from 'node:net';
import { request } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import type { ChildProcess } from 'node:child_process';
import { CONNECTION } from './protocol.js';

/**
 * The health check is a real request through the worker's whole path (TLS, host guard,
 * caller check, GraphQL engine): the supervisor opens a private loopback connection, hands
 * the server end to the worker like any accepted socket, and asks `{ info { version } }`
 * with the local client token. Resolves to the version the worker reports.
 */
export async function checkHealth(worker: ChildProcess, o: { port: number; token: string; timeoutMs: number }): Promise<string> {
  const listener = createServer({ pauseOnConnect: true });
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(0, '127.0.0.1', () => resolve());
  });
  const addr = listener.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  let client: Socket | undefined;
  try {
    const accepted = new Promise<Socket>((resolve) => listener.once('connection', resolve));
    client = netConnect(port, '127.0.0.1');
    const serverSide = await accepted;
    await new Promise<void>((resolve, reject) =>
      worker.send(CONNECTION, serverSide, (err) => (err ? reject(err) : resolve())),
    );
    const tls = tlsConnect({ socket: client, servername: 'localhost', rejectUnauthorized: false });
    const body = JSON.stringify({ query: '{ info { version } }' });
    return await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        req.destroy(new Error(`no health answer within ${o.timeoutMs} ms`));
      }, o.timeoutMs);
      const req = request(
        {
          createConnection: () => tls,
          method: 'POST',
          path: '/graphql',
          headers: {
            host: `localhost:${o.port}`,
            authorization: `Bearer ${o.token}`,
            'content-type': 'application/json',
            connection: 'close',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => {
            clearTimeout(timer);
            try {
              const version = (JSON.parse(text) as { data?: { info?: { version?: unknown } } }).data?.info?.version;
              if (res.statusCode === 200 && typeof version === 'string') resolve(version);
              else reject(new Error(`health check answered ${res.statusCode}: ${text.slice(0, 200)}`));
            } catch {
              reject(new Error(`health check answered ${res.statusCode} with a body that is not JSON`));
            }
          });
        },
      );
      req.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      req.end(body);
    });
  } finally {
    listener.close();
    client?.destroy();
  }
}
