import type { FastifyInstance } from 'fastify';
import { releasePackage } from '../../services/releases.js';
import type { DsRuntime } from '../runtime.js';

/**
 * GET /v1/releases/<id>/package: the package bytes. Unauthenticated on purpose: a package is
 * useless without its signed manifest (which only a device's sync answer carries) and every
 * connector checks the signature and digest itself; the id is an unguessable UUID.
 */
export function releaseRoutes(app: FastifyInstance, rt: DsRuntime): void {
  app.get<{ Params: { id: string } }>('/v1/releases/:id/package', async (request, reply) => {
    const { release, pkg } = await releasePackage(rt.ctx, request.params.id);
    return reply
      .header('content-type', 'application/gzip')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('x-release-version', release.version)
      .header('x-content-sha256', release.sha256)
      .send(pkg);
  });
}
