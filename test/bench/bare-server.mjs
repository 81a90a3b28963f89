// The baseline: a bare node:https server answering every POST with a fixed JSON body, same
// certificate, same TLS settings. What the connector's guarded pipeline is compared against.
import { createServer } from 'node:https';
import { readFileSync } from 'node:fs';

const [keyFile, certFile, bodiesFile] = process.argv.slice(2);
const bodies = JSON.parse(readFileSync(bodiesFile, 'utf8'));
const server = createServer({ key: readFileSync(keyFile), cert: readFileSync(certFile), minVersion: 'TLSv1.2', keepAliveTimeout: 65_000 }, (req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = bodies[req.url] ?? '{}';
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`ready on ${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
