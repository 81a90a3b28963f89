import type { FastifyInstance } from 'fastify';
import { registerDevice } from '../../services/registration.js';
import { parseJsonBody } from '../json-body.js';
import type { DsRuntime } from '../runtime.js';
import { RegisterRequest, type RegisterResponse } from '@cardlink/ds-protocol';

export const REGISTER_BODY_LIMIT = 64 * 1024;

export function registerRoutes(app: FastifyInstance, rt: DsRuntime): void {
  app.post('/v1/register', {
    // A registration is a CSR (≤ 16 KiB) and three short strings: refuse anything bigger unread.
    bodyLimit: REGISTER_BODY_LIMIT,
    schema: { body: RegisterRequest },
    preValidation: async (request) => parseJsonBody(request),
    handler: async (request) => {
      const { issued, orgId, ...answer } = await registerDevice(rt.ctx, request.body as RegisterRequest);
      rt.keys.add(answer.deviceId, orgId, issued);
      request.log.info({ deviceId: answer.deviceId, serial: answer.serial }, 'device registered');
      const body: RegisterResponse = answer;
      return body;
    },
  });
}
