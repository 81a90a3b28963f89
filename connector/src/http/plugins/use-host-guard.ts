import type { Plugin } from 'graphql-yoga';
import { ConnectorError } from '../../errors.js';
import { createHostGuard } from '../guards/host-guard.js';
import { refuseRepeatedHeaders } from '../guards/single-headers.js';
import type { NodeServerContext } from '../request-state.js';
import { guard } from './refuse.js';

/** Anti DNS-rebinding, first of all: one Host header, naming what the certificate covers. */
export function useHostGuard(port: number): Plugin<NodeServerContext, NodeServerContext> {
  const hostAllowed = createHostGuard(port);
  return {
    onRequest({ serverContext: { req }, fetchAPI, endResponse }) {
      guard(fetchAPI, endResponse, () => {
        refuseRepeatedHeaders(req.rawHeaders);
        if (!hostAllowed(req.headers.host)) throw new ConnectorError('HOST_NOT_ALLOWED', 'This host name is not served here.');
      });
    },
  };
}
