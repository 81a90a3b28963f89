import { Agent, request } from 'undici';

/** GET a package from the DS, refusing more than `maxBytes` (the signed size). */
export async function downloadPackage(url: string, o: { ca?: string; maxBytes: number; timeoutMs?: number }): Promise<Buffer> {
  const timeout = o.timeoutMs ?? 120_000;
  const dispatcher = new Agent({ connect: o.ca ? { ca: o.ca } : {}, headersTimeout: timeout, bodyTimeout: timeout });
  try {
    const res = await request(url, { method: 'GET', dispatcher, signal: AbortSignal.timeout(timeout) });
    if (res.statusCode !== 200) {
      await res.body.dump();
      throw new Error(`package download answered ${res.statusCode}`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of res.body) {
      size += (c as Buffer).length;
      if (size > o.maxBytes) {
        res.body.destroy();
        throw new Error(`package is larger than the ${o.maxBytes} bytes the manifest says`);
      }
      chunks.push(c as Buffer);
    }
    return Buffer.concat(chunks);
  } finally {
    await dispatcher.close();
  }
}
