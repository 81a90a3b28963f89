import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerCredentials } from '../tls/cert-store.js';

/**
 * TLS 1.2 only with forward-secret key exchange (ECDHE) and AEAD ciphers (GCM, ChaCha20);
 * TLS 1.3's own suites are all of that already. Browsers that speak TLS 1.2 at all offer these.
 */
export const TLS12_CIPHERS = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

export function tlsOptions(c: ServerCredentials) {
  return {
    key: c.key,
    cert: c.chain ? `${c.cert.trim()}\n${c.chain.trim()}\n` : c.cert,
    minVersion: 'TLSv1.2' as const,
    ciphers: TLS12_CIPHERS,
    honorCipherOrder: true,
  };
}

/** HTTPS only, TLS 1.2+; credentials can be swapped later with `setSecureContext`. */
export function createHttpsServer(creds: ServerCredentials, handler: (req: IncomingMessage, res: ServerResponse) => void): Server {
  const server = createServer(
    {
      ...tlsOptions(creds),
      keepAliveTimeout: 65_000,
      requestTimeout: 120_000,
      headersTimeout: 20_000,
      maxHeaderSize: 16 * 1024,
    },
    handler,
  );
  return server;
}

export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });
}
