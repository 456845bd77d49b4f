// Our GraphQL metric families must be the ones @graphql-yoga/plugin-prometheus
// (a devDependency, kept as the oracle) registered with our settings: the same
// families, help texts, types, label sets and counts, after the same workload of
// good, failing and refused requests. Durations differ run to run, so histograms
// are compared by their counts.
import { createHash } from 'node:crypto';
import { usePrometheus } from '@graphql-yoga/plugin-prometheus';
import { Registry, type MetricObjectWithValues, type MetricValue } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { Metrics } from '../../src/observability/metrics.js';
import { DEFAULT_SECURITY } from '../../src/security/policy.js';
import { startHarness, type Harness } from '../support/harness.js';

const WORKLOAD: Array<{
  query?: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  method?: string;
}> = [
  { query: '{ trainingJob(jobId: "job-complete") { operations(first: 2) { totalCount } } }' },
  {
    query:
      'query Named { trainingJobs(jobIds: ["job-complete", "fault-503", "no-such-job"]) { operations { totalCount } } }',
  },
  {
    query: 'query A { trainingJob(jobId: "job-empty") { jobId } } query B { trainingJob(jobId: "") { jobId } }',
    operationName: 'B',
  },
  {
    query: 'query V($n: Int) { trainingJob(jobId: "job-complete") { operations(limit: $n) { totalCount } } }',
    variables: { n: 'x' },
  },
  { query: '{ trainingJob(jobId: "job-complete") { nope } }' },
  { query: '{ trainingJob(' },
  { query: 'fragment F on TrainingJob { jobId } query { trainingJob(jobId: "job-complete") { ...F } }' },
  { query: '{ __typename }', method: 'GET' },
  { query: 'subscription { x }' },
  {},
];

type Sample = Pick<MetricObjectWithValues<MetricValue<string>>, 'name' | 'help' | 'type'> & { values: string[] };

/** The GraphQL families of a registry: for histograms, only the `_count` samples. */
async function families(registry: Registry): Promise<Sample[]> {
  const all = (await registry.getMetricsAsJSON()) as Array<MetricObjectWithValues<MetricValue<string>>>;
  return all
    .filter((metric) => metric.name.startsWith('graphql_'))
    .map(({ name, help, type, values }) => ({
      name,
      help,
      type,
      values: values
        .filter(
          (value) => !('metricName' in value) || (value as { metricName?: string }).metricName?.endsWith('_count'),
        )
        .map((value) => `${JSON.stringify(value.labels)} ${value.value}`)
        .sort(),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

describe('GraphQL metrics', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ client: { retries: 0 } });
  });
  afterAll(() => h.close());

  async function run(app: App, persisted: string | undefined) {
    for (const { query, variables, operationName, method = 'POST' } of WORKLOAD) {
      const body = persisted
        ? { operationName, extensions: { persistedQuery: { version: 1, sha256Hash: persisted } } }
        : { query, variables, operationName };
      const response =
        method === 'GET'
          ? await app.fetch(`http://localhost/graphql?query=${encodeURIComponent(query ?? '')}`)
          : await app.fetch('http://localhost/graphql', {
              method,
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(body),
            });
      await response.text();
    }
    await (await app.fetch('http://localhost/healthz')).text();
  }

  it.each([
    ['without operation names', undefined],
    [
      'with operation names (persisted operations)',
      'query Named { trainingJobs(jobIds: ["job-complete", "fault-503"]) { operations { totalCount } } }',
    ],
  ])('are the plugin’s, %s', async (_name, document) => {
    const sha256Hash = document ? createHash('sha256').update(document).digest('hex') : undefined;
    const security = {
      ...DEFAULT_SECURITY,
      persistedOperations: document && sha256Hash ? new Map([[sha256Hash, document]]) : null,
    };

    const metrics = new Metrics(h.client);
    const ours = createApp({ client: h.client, metrics, security });
    const oracleRegistry = new Registry();
    const oracle = createApp({
      client: h.client,
      security,
      plugins: [
        usePrometheus({
          registry: oracleRegistry,
          endpoint: false,
          labels: { url: false, path: false, operationName: document !== undefined },
          metrics: { graphql_envelop_request_time_summary: false, graphql_envelop_deprecated_field: false },
        }),
      ],
    });
    try {
      await run(ours, sha256Hash);
      await run(oracle, sha256Hash);
      const expected = await families(oracleRegistry);
      expect(expected.find((family) => family.name === 'graphql_envelop_request')?.values.length).toBeGreaterThan(0);
      expect(await families(metrics.registry)).toEqual(expected);
    } finally {
      metrics.close();
      await ours.dispose();
      await oracle.dispose();
    }
  });
});
