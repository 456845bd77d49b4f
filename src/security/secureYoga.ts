// Everything that decides who may call and what a request may cost, assembled
// for createApp: yoga options plus plugins, in the order they must run.
import type { CORSOptions, GraphiQLOptions, Plugin } from 'graphql-yoga';
import { IN_PROCESS, type ClusterState } from '../cluster/clusterState.js';
import { admitWebSocket, type AdmitWebSocket } from './admitWebSocket.js';
import { corsOptions } from './cors.js';
import { graphiqlSecurity } from './graphiqlSecurity.js';
import type { SecurityOptions } from './policy.js';
import { useAuth } from './useAuth.js';
import { useBodyLimit } from './useBodyLimit.js';
import { useCallerRateLimit } from './useCallerRateLimit.js';
import { useCredentialExpiry } from './useCredentialExpiry.js';
import { useCsrfPrevention } from './useCsrfPrevention.js';
import { useHttp1 } from './useHttp1.js';
import { useNoIntrospection } from './useNoIntrospection.js';
import { useOperationLimits } from './useOperationLimits.js';
import { usePersistedOperationsOnly } from './usePersistedOperationsOnly.js';
import { useRequestParseErrors } from './useRequestParseErrors.js';
import { useUpstreamCallLimit } from './useUpstreamCallLimit.js';

export interface SecuredYoga {
  cors: CORSOptions | false | undefined;
  graphiql: GraphiQLOptions | false;
  renderGraphiQL: (options: GraphiQLOptions) => Promise<string>;
  /** Off: useBodyLimit enforces MAX_BODY_BYTES, counting only the bodies that need it. */
  maxRequestBodySize: false;
  /** One operation per request: batches are refused with 400. */
  batching: false;
  /** No uploads here; a multipart body is refused instead of parsed. */
  multipart: false;
  plugins: Plugin[];
  /** Origin and credentials checks for a WebSocket connection, before any operation on it. */
  admitWebSocket: AdmitWebSocket;
}

/** `cluster` says where the per-caller buckets live: this process, or Redis for every replica. */
export function secureYoga(
  security: SecurityOptions,
  graphiql: GraphiQLOptions,
  cluster: ClusterState = IN_PROCESS,
): SecuredYoga {
  const perSecond = security.callerRateLimit;
  const page = graphiqlSecurity();
  const auth = useAuth(security.auth);
  return {
    cors: corsOptions(security.corsOrigins, security.production),
    graphiql: security.graphiql ? graphiql : false,
    renderGraphiQL: page.render,
    maxRequestBodySize: false,
    batching: false,
    multipart: false,
    plugins: [
      useHttp1(),
      page.headers,
      useRequestParseErrors(),
      useCsrfPrevention(),
      auth,
      ...(security.auth.mode === 'jwt' ? [useCredentialExpiry()] : []),
      ...(perSecond > 0 ? [useCallerRateLimit({ perSecond, budget: cluster.callerBudget(perSecond) })] : []),
      useBodyLimit(security.limits.maxBodyBytes),
      ...(security.persistedOperations ? [usePersistedOperationsOnly(security.persistedOperations)] : []),
      ...(security.introspection ? [] : [useNoIntrospection()]),
      useOperationLimits(security.limits),
      useUpstreamCallLimit(security.limits.maxUpstreamCalls),
    ],
    admitWebSocket: admitWebSocket(security, auth.authenticate),
  };
}
