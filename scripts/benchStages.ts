// The benchmark's calibration stages, in the order of its table: named and
// described here, built by scripts/benchServer.ts (which must build every one),
// measured by scripts/bench.ts. No imports: the load side reads it too.
export const STAGE_TITLES = {
  hello: 'hello-world yoga: one String field, no upstream call (its own query)',
  plain: 'plain yoga doing our job: hand-written SDL, plain resolvers, one DataLoader, the same signed undici call',
  pothos: 'yoga with our Pothos schema, loaders and client only',
  app: 'the production app (src/main.ts wiring), all groups',
  'app-security': 'app without security (auth, CSRF, CORS, limits, upstream-call estimate, parse errors)',
  'app-requestLog': 'app without the request log (its request id and request line)',
  'app-metrics': 'app without Prometheus metrics',
  'app-federation': 'app without the federation wrapper (plain Pothos schema; no `_entities`)',
  'app+tracing': 'app with tracing on (spans dropped at the processor); off in production unless OTLP is set',
};

export type StageName = keyof typeof STAGE_TITLES;
