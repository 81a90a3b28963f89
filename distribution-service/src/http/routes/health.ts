import type { FastifyInstance } from 'fastify';

export function healthRoutes(app: FastifyInstance): void {
  app.get('/v1/health', async () => ({ status: 'ok' }));
}
