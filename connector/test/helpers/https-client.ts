import { request, type RequestOptions } from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: any;
}

export interface CallOptions {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Host header override (rebinding tests); the TLS name stays localhost. */
  host?: string;
  agent?: RequestOptions['agent'];
}

/** A raw HTTPS call that verifies the server against `ca`, like a browser that trusts it. */
export function call(port: number, ca: string, o: CallOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    headers.host = o.host ?? `localhost:${port}`;
    const req = request(
      { host: '127.0.0.1', port, servername: 'localhost', path: o.path ?? '/graphql', method: o.method ?? 'POST', ca, headers, agent: o.agent ?? false },
      (res) => readReply(res).then(resolve, reject),
    );
    req.on('error', reject);
    req.end(o.body);
  });
}

/** A whole response: status, headers, text, and the JSON when it parses. */
export function readReply(res: IncomingMessage): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('error', reject);
    res.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
    });
  });
}

export function gql(query: string, variables?: Record<string, unknown>): string {
  return JSON.stringify({ query, variables });
}
