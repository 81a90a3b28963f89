import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthenticatedDevice } from '../../auth/device-auth.js';
import { DsError } from '../../errors.js';
import { syncDevice } from '../../services/sync.js';
import { syncUpdate } from '../../services/releases.js';
import { parseJsonBody, rawBody } from '../json-body.js';
import type { DsRuntime } from '../runtime.js';
import { SIGNATURE_HEADERS, SyncRequest, type SyncResponse } from '@cardlink/ds-protocol';

const header = (request: FastifyRequest, name: string): string | undefined => {
  const v = request.headers[name];
  return typeof v === 'string' ? v : undefined;
};

const authenticated = new WeakMap<FastifyRequest, AuthenticatedDevice>();

export function syncRoutes(app: FastifyInstance, rt: DsRuntime): void {
  app.post('/v1/sync', {
    schema: { body: SyncRequest },
    // Authenticate on the raw bytes before parsing: strangers learn nothing about validation.
    preValidation: async (request) => {
      const device = await rt.auth.authenticate({
        method: request.method,
        path: request.url.split('?')[0]!,
        deviceId: header(request, SIGNATURE_HEADERS.deviceId),
        keyId: header(request, SIGNATURE_HEADERS.keyId),
        timestamp: header(request, SIGNATURE_HEADERS.timestamp),
        signature: header(request, SIGNATURE_HEADERS.signature),
        body: rawBody(request),
      });
      authenticated.set(request, device);
      parseJsonBody(request);
      const txs = (request.body as { transactions?: unknown } | null)?.transactions;
      if (Array.isArray(txs) && txs.length > rt.ctx.config.maxBatch) {
        throw new DsError('BATCH_TOO_LARGE', `at most ${rt.ctx.config.maxBatch} transactions per sync, got ${txs.length}`, {
          max: rt.ctx.config.maxBatch,
        });
      }
    },
    handler: async (request, reply) => {
      const device = authenticated.get(request)!;
      const { updateStatus, ...input } = request.body as SyncRequest;
      const { issued, inserted, ...answer } = await syncDevice(rt.ctx, device, { ...input, canUpdate: updateStatus !== undefined });
      if (issued) rt.keys.renewed(device.deviceId, device.orgId, issued, device.signingKey);
      // Failed versions are recorded before the offer is chosen: a reported failure is never offered again.
      const update = await syncUpdate(rt.ctx, device, { version: input.version, updateStatus });
      request.log.debug({ deviceId: device.deviceId, received: answer.ack.length, inserted }, 'sync');
      if (rt.faults.takeSyncDrop()) {
        // Committed above; now lose the answer the way a network failure would.
        request.log.warn({ deviceId: device.deviceId }, 'fault injection: dropping sync response after commit');
        reply.hijack();
        request.raw.socket.destroy();
        return;
      }
      const body: SyncResponse = update ? { ...answer, update } : answer;
      return body;
    },
  });
}
