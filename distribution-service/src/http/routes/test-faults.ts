import type { FastifyInstance } from 'fastify';
import { parseJsonBody } from '../json-body.js';
import type { DsRuntime } from '../runtime.js';
import { FaultsRequest } from '@cardlink/ds-protocol';

/** Registered only with enableTestEndpoints: lets a connector test arm failures over HTTP. */
export function testFaultRoutes(app: FastifyInstance, rt: DsRuntime): void {
  const view = () => ({ dropSyncResponsesAfterCommit: rt.faults.dropSyncResponsesAfterCommit, dropped: rt.faults.dropped });
  app.get('/v1/test/faults', async () => view());
  app.post('/v1/test/faults', {
    schema: { body: FaultsRequest },
    preValidation: async (request) => parseJsonBody(request),
    handler: async (request) => {
      rt.faults.dropSyncResponsesAfterCommit = (request.body as { dropSyncResponsesAfterCommit: number }).dropSyncResponsesAfterCommit;
      return view();
    },
  });
}
