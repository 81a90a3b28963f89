import type { FastifyInstance } from 'fastify';
import { registerDevice, type RegisterInput } from '../../services/registration.js';
import { parseJsonBody } from '../json-body.js';
import type { DsRuntime } from '../runtime.js';
import { registerBodySchema } from '../schemas.js';

export function registerRoutes(app: FastifyInstance, rt: DsRuntime): void {
  app.post('/v1/register', {
    schema: { body: registerBodySchema },
    preValidation: async (request) => parseJsonBody(request),
    handler: async (request) => {
      const { issued, orgId, ...answer } = await registerDevice(rt.ctx, request.body as RegisterInput);
      rt.keys.add(answer.deviceId, orgId, issued);
      request.log.info({ deviceId: answer.deviceId, serial: answer.serial }, 'device registered');
      return answer;
    },
  });
}
