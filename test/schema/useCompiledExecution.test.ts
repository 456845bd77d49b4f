// Compiled execution must answer exactly as graphql-js does, errors included,
// with the same upstream calls: each document is sent to a yoga with and a yoga
// without the compiler, and the statuses, bodies and upstream calls must match.
// Twice, so that both a fresh and an already compiled document are compared.
// Subscriptions stay with graphql-js: their events, whose job reads through the
// event's own loaders, must stream the same with the compiler in the app.
import type { WireOperation } from '../../src/simulator/histories.js';
import { LiveJobs } from '../../src/live/liveJobs.js';
import { createLoaders } from '../../src/loaders/createLoaders.js';
import { EXAMPLES } from '../../src/graphiql/examples.js';
import { schema } from '../../src/schema/index.js';
import { useBadUserInputCodes } from '../../src/schema/useBadUserInputCodes.js';
import { useCompiledExecution } from '../../src/schema/useCompiledExecution.js';
import type { Context } from '../../src/schema/context.js';
import { createYoga, type Plugin } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { SCOPING_OFF } from '../../src/scope/callerScope.js';

const CASES: Array<[string, string, Record<string, unknown>?]> = [
  ...EXAMPLES.flatMap(
    (document, i): Array<[string, string]> =>
      document.includes('subscription ') ? [] : [[`example ${i + 1}`, document]],
  ),
  [
    'upstream failures, one per job',
    '{ trainingJobs(jobIds: ["job-complete", "fault-503", "fault-404-none", "fault-wrong-shape"]) { jobId operations { totalCount nodes { action } } } }',
  ],
  [
    'a bad argument in a resolver',
    '{ trainingJob(jobId: "job-complete") { operations(first: 3, after: "nope") { totalCount } } }',
  ],
  [
    'a bad id among good ones',
    '{ a: trainingJob(jobId: "job-complete") { jobId } b: trainingJob(jobId: "..") { jobId } }',
  ],
  [
    'a field that fails alone',
    '{ trainingJob(jobId: "job-odd-types") { operations { nodes { time action rawAction operator externalInfo { reviewIdList } } } } }',
  ],
  [
    'a non-null field that fails nulls its job',
    '{ trainingJobs(jobIds: ["job-complete", "fault-500"]) { jobId operationHistory(max: 5) { action } } }',
  ],
  ['a missing time', '{ trainingJob(jobId: "job-no-time") { operations { nodes { time rawTime } } } }'],
  [
    'variables, fragments, aliases, @skip and @include',
    'query Q($id: ID!, $n: Int, $skip: Boolean!) { j: trainingJob(jobId: $id) { ...F ops: operations(limit: $n) @skip(if: $skip) { totalCount } } } fragment F on TrainingJob { jobId operations(first: 2) { edges { cursor node { time } } pageInfo { endCursor hasNextPage } } }',
    { id: 'job-long-history', n: 4, skip: false },
  ],
  [
    'variables that do not coerce',
    'query Q($n: Int) { trainingJob(jobId: "job-complete") { operations(limit: $n) { totalCount } } }',
    { n: 'ten' },
  ],
  [
    '_entities',
    'query E($r: [_Any!]!) { _entities(representations: $r) { __typename ... on TrainingJob { jobId operations(limit: 2) { nodes { action } } } } }',
    {
      r: [
        { __typename: 'TrainingJob', jobId: 'job-complete' },
        { __typename: 'TrainingJob', jobId: 'fault-503' },
      ],
    },
  ],
  [
    '_entities with a bad representation',
    'query E($r: [_Any!]!) { _entities(representations: $r) { ... on TrainingJob { jobId } } }',
    { r: [{ __typename: 'TrainingJob', jobId: 'job-complete' }, 'job-empty'] },
  ],
  [
    '_entities with a bad job id',
    'query E($r: [_Any!]!) { _entities(representations: $r) { ... on TrainingJob { jobId } } }',
    { r: [{ __typename: 'TrainingJob', jobId: '' }] },
  ],
  ['_service and __typename', '{ __typename _service { sdl } }'],
  [
    'two operations, one named',
    'query A { trainingJob(jobId: "job-empty") { jobId } } query B { trainingJob(jobId: "job-complete") { jobId } }',
  ],
];

/** The upstream's request ids differ from call to call. */
const stable = (text: string) => text.replace(/"requestId":"[0-9a-f]+"/g, '"requestId":"…"');

describe('compiled execution', () => {
  let h: Harness;
  const lives: LiveJobs[] = [];
  const yogaWith = (plugins: Plugin[]) => {
    const live = new LiveJobs(h.client);
    lives.push(live);
    return createYoga<Record<string, never>, Context>({
      schema,
      maskedErrors: { isDev: false },
      logging: false,
      context: ({ request }) => ({
        loaders: createLoaders(h.client, request),
        entitiesMaxRepresentations: 10,
        live,
        caller: 'test',
        scope: SCOPING_OFF,
        request,
      }),
      plugins: [useBadUserInputCodes(), ...plugins],
    });
  };
  let compiled: ReturnType<typeof yogaWith>;
  let interpreted: ReturnType<typeof yogaWith>;
  beforeAll(async () => {
    h = await startHarness({
      simulator: {
        histories: new Map([
          ['job-no-time', [{ action: 'CREATE_JOB', operator: 'USER' }]],
          [
            'job-odd-types',
            [{ time: 1790934000000, action: 42, operator: 'USER', external_info: 'n/a' } as unknown as WireOperation],
          ],
          // Completed, and longer than the first and the newest page a subscription's snapshot holds.
          [
            'job-long-complete',
            Array.from(
              { length: 250 },
              (_, i): WireOperation => ({
                time: 1790934000000 + i * 1000,
                action: i === 249 ? 'COMPLETE_JOB' : 'COMMIT_JOB',
                operator: 'USER',
              }),
            ),
          ],
        ]),
      },
      client: { retries: 0 },
    });
    compiled = yogaWith([useCompiledExecution()]);
    interpreted = yogaWith([]);
    // The plugin loads the compiler in the background; once it is loaded here, the plugin has it too.
    await import('graphql-jit');
  });
  afterAll(async () => {
    for (const live of lives) live.close();
    await h.close();
  });

  const post = async (
    yoga: typeof compiled,
    query: string,
    variables?: Record<string, unknown>,
    operationName?: string,
  ) => {
    const accept = query.startsWith('subscription') ? 'text/event-stream' : 'application/graphql-response+json';
    const response = await yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept },
      body: JSON.stringify({ query, variables, operationName }),
    });
    return `${response.status} ${stable(await response.text())}`;
  };
  /** The answer and the upstream calls it cost. */
  const run = async (
    yoga: typeof compiled,
    query: string,
    variables?: Record<string, unknown>,
    operationName?: string,
  ) => {
    h.simulator.reset();
    const answer = await post(yoga, query, variables, operationName);
    return { answer, calls: h.simulator.requests.length };
  };

  it.each(CASES)('%s', async (_name, query, variables) => {
    const operationName = query.startsWith('query A') ? 'B' : undefined;
    const expected = await run(interpreted, query, variables, operationName);
    expect(await run(compiled, query, variables, operationName)).toEqual(expected);
    expect(await run(compiled, query, variables, operationName)).toEqual(expected);
  });

  // A completed job's subscription sends one event and ends; its job's fields read the event's
  // snapshot, and a window between its first and newest pages costs a call.
  it.each([
    [
      'a subscription',
      'subscription { trainingJobEvents(jobId: "job-complete") { status totalCount newOperations { action } job { jobId latestOperation { action } operations(first: 2) { nodes { action } } } } }',
    ],
    [
      'a subscription whose job reads past its snapshot',
      'subscription { trainingJobEvents(jobId: "job-long-complete") { totalCount job { operations(offset: 120, limit: 2) { nodes { time } } } } }',
    ],
  ])('%s', async (_name, query) => {
    const expected = await run(interpreted, query);
    expect(expected.answer).toMatch(/^200 [\s\S]*event: next[\s\S]*"data":\{"trainingJobEvents"/);
    expect(await run(compiled, query)).toEqual(expected);
  });
});
