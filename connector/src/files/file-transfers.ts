import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { ConnectorError } from '../errors.js';
import type { Caller } from '../http/guards/caller.js';
import { sendError } from '../http/error-body.js';
import { fsError } from './safe-path.js';
import type { CheckedFile } from './file-service.js';

/** URL prefix of the one-time file URLs (`/files/<token>`). */
export const TRANSFER_PREFIX = '/files/';
export const DEFAULT_TRANSFER_TTL_MS = 60_000;
const MAX_OUTSTANDING = 1000;
/** HTTP status of a file that cannot be served (any other error is a 500). */
const NOT_SERVED_STATUS: Record<string, number> = { FILE_NOT_FOUND: 404, FILE_TYPE_NOT_FOUND: 404, PATH_NOT_ALLOWED: 403 };
/** Expired tokens are kept this long so that a late fetch learns "expired" (410), not "unknown". */
const FORGET_AFTER_MS = 10 * 60_000;

interface Transfer {
  file: Pick<CheckedFile, 'open'>;
  label: string;
  origin: string | null;
  expiresAt: number;
}

/**
 * Short-lived, single-use URLs through which a page fetches a file from disk (an "upload"
 * from the device's side). The token is 192 random bits, bound to the label (and origin) that
 * asked for it; the first GET consumes it. The route runs behind the same host, origin, tag
 * and rate-limit guards as GraphQL, so only the allowed page can fetch it.
 */
export class FileTransfers {
  private readonly transfers = new Map<string, Transfer>();

  constructor(private readonly ttlMs = DEFAULT_TRANSFER_TTL_MS, private readonly now: () => number = Date.now) {}

  issue(file: Pick<CheckedFile, 'open'>, caller: { label: string; origin: string | null }): { token: string; expiresAt: Date } {
    this.sweep();
    if (this.transfers.size >= MAX_OUTSTANDING) {
      // Drop the oldest: a page that asks for a thousand URLs and fetches none loses the first.
      const oldest = this.transfers.keys().next().value;
      if (oldest !== undefined) this.transfers.delete(oldest);
    }
    const token = randomBytes(24).toString('base64url');
    const expiresAt = this.now() + this.ttlMs;
    this.transfers.set(token, { file, label: caller.label, origin: caller.origin, expiresAt });
    return { token, expiresAt: new Date(expiresAt) };
  }

  get outstanding(): number {
    return this.transfers.size;
  }

  private sweep(): void {
    const t = this.now();
    for (const [k, v] of this.transfers) if (v.expiresAt + FORGET_AFTER_MS < t) this.transfers.delete(k);
  }

  /** Route for `/files/<token>`: stream the file once. */
  readonly route = async (req: IncomingMessage, res: ServerResponse, caller: Caller): Promise<void> => {
    if (req.method !== 'GET') throw new ConnectorError('BAD_REQUEST', 'Use GET.', { httpStatus: 405 });
    const path = (req.url ?? '').split('?')[0]!;
    const token = path.slice(TRANSFER_PREFIX.length);
    const t = this.transfers.get(token);
    // Another application holding the token is treated as unknown and does not consume it.
    if (!t || t.label !== caller.label || t.origin !== caller.origin) {
      sendError(res, new ConnectorError('FILE_NOT_FOUND', 'Unknown or already used file URL.'), 404);
      return;
    }
    this.transfers.delete(token);
    if (t.expiresAt <= this.now()) {
      sendError(res, new ConnectorError('FILE_NOT_FOUND', 'This file URL has expired.', { expired: true }), 410);
      return;
    }
    // Opened here once, through the same checks as `upload` made, and only if it is still the
    // file that was checked; then streamed from that descriptor, never from the path again.
    let opened;
    try {
      opened = await t.file.open();
    } catch (e) {
      const err = fsError(e);
      sendError(res, err, NOT_SERVED_STATUS[err.code] ?? 500);
      return;
    }
    const size = opened.stats.size;
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': size,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    if (size === 0) {
      await opened.close();
      res.end();
      return;
    }
    // The length is fixed now: a file growing meanwhile is cut there, one shrinking ends early
    // (and the client sees a short body). The stream closes the descriptor at its end; the
    // close below covers a stream that failed before it started.
    try {
      await pipeline(opened.handle.createReadStream({ start: 0, end: size - 1, highWaterMark: 64 * 1024 }), res);
    } catch {
      res.destroy();
    } finally {
      await opened.close();
    }
  };
}
