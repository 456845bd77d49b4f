// Hive Gateway's runtime over a composed supergraph, calling the subgraphs over
// HTTP: what `npm run gateway` serves and the gateway tests query. Its own module
// because the runtime takes seconds to import and `npm run compose` needs none of it.
// Subscriptions reach the subgraphs over SSE, which the gateway opens with a GET
// by default; our CSRF prevention refuses a GET without its header, so it POSTs.
import http from '@graphql-mesh/transport-http';
import { createGatewayRuntime, type GatewayConfigSupergraph } from '@graphql-hive/gateway-runtime';

export type GatewayOptions = Omit<GatewayConfigSupergraph, 'supergraph' | 'transports'>;

export function createGateway(supergraph: string, options: GatewayOptions = {}) {
  return createGatewayRuntime({
    ...options,
    supergraph,
    transports: { http },
    transportEntries: { '*.http': { options: { method: 'POST' } }, ...options.transportEntries },
  });
}
