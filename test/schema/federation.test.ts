// The subgraph side of Federation v2: _service SDL and _entities, resolved in
// order through the same loaders as Query fields.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { startHarness, type GraphQLResult, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => h.simulator.reset());

const ENTITIES = `query($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on TrainingJob { jobId operations(limit: 2) { totalCount nodes { action } } }
  }
}`;

const ref = (jobId: string) => ({ __typename: 'TrainingJob', jobId });

describe('federation', () => {
  it('publishes a Federation v2 SDL with TrainingJob keyed by jobId', async () => {
    const result = await h.query<{ _service: { sdl: string } }>('{ _service { sdl } }');
    const sdl = result.data!._service.sdl;
    expect(sdl).toMatch(/@link\(url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.\d+"/);
    expect(sdl).toMatch(/type TrainingJob\s+@key\(fields: "jobId"\)/);
    expect(sdl).toMatch(/type PageInfo\s+@shareable/);
  });

  it('resolves representations in order, duplicates included, with one call per distinct job', async () => {
    const ids = ['job-empty', 'job-complete', 'job-admin-rejected', 'job-complete', 'job-empty'];
    const result = await h.query<{
      _entities: Array<{ jobId: string; operations: { totalCount: number; nodes: Array<{ action: string }> } }>;
    }>(ENTITIES, { representations: ids.map(ref) });
    expect(result.errors).toBeUndefined();
    expect(result.data!._entities.map((e) => e.jobId)).toEqual(ids);
    expect(result.data!._entities.map((e) => e.operations.totalCount)).toEqual([0, 7, 4, 7, 0]);
    expect(result.data!._entities[2]!.operations.nodes.map((n) => n.action)).toEqual(['CREATE_JOB', 'COMMIT_JOB']);
    expect(h.simulator.requests.map((r) => r.jobId).sort()).toEqual([
      'job-admin-rejected',
      'job-complete',
      'job-empty',
    ]);
  });

  it('shares calls between _entities and Query fields in one request', async () => {
    const result = await h.query(
      `query($r: [_Any!]!) {
        _entities(representations: $r) { ... on TrainingJob { operations(limit: 2) { totalCount } } }
        trainingJob(jobId: "job-complete") { operations(first: 2) { totalCount } }
      }`,
      { r: [ref('job-complete')] },
    );
    expect(result.errors).toBeUndefined();
    expect(h.simulator.requests).toHaveLength(1);
  });

  it('nulls only the failing entity, with its upstream code', async () => {
    h.simulator.inject({ kind: 'status', status: 503 }, { jobId: 'job-admin-rejected' });
    const result = await h.query<{ _entities: Array<{ jobId: string; operations: unknown }> }>(ENTITIES, {
      representations: ['job-complete', 'job-admin-rejected', 'job-empty'].map(ref),
    });
    expect(result.data!._entities.map((e) => e.operations === null)).toEqual([false, true, false]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]).toMatchObject({
      path: ['_entities', 1, 'operations'],
      extensions: { code: 'UPSTREAM_UNAVAILABLE', status: 503 },
    });
  });

  it('applies the job id rules to each representation alone, before any upstream call', async () => {
    const result = await h.query<{ _entities: Array<{ jobId: string; operations: { totalCount: number } } | null> }>(
      ENTITIES,
      {
        representations: [
          ref('job-complete'),
          ref('../admin'),
          { __typename: 'TrainingJob', jobId: 7 },
          { __typename: 'TrainingJob' },
          ref('job-empty'),
        ],
      },
    );
    expect(result.data!._entities.map((e) => e?.operations.totalCount ?? null)).toEqual([7, null, null, null, 0]);
    expect(result.errors!.map((e) => [e.path, e.extensions?.code])).toEqual([
      [['_entities', 1], 'BAD_USER_INPUT'],
      [['_entities', 2], 'BAD_USER_INPUT'],
      [['_entities', 3], 'BAD_USER_INPUT'],
    ]);
    expect(result.errors![0]!.message).toMatch(/must not contain "\/"/);
    expect(result.errors![1]!.message).toMatch(/must be a string/);
    expect(h.simulator.requests.map((r) => r.jobId).sort()).toEqual(['job-complete', 'job-empty']);
  });

  it.each([
    [
      'a type this subgraph does not own',
      { __typename: 'VoiceModel', id: '1' },
      /must be one of this subgraph's entities: TrainingJob/,
    ],
    ['no __typename', { jobId: 'job-complete' }, /__typename must be one of/],
    ['not an object', 'job-complete', /representations\[1\] must be an object/],
  ])('refuses a representation with %s as BAD_USER_INPUT, not an internal error', async (_name, bad, message) => {
    const result = await h.query(ENTITIES, { representations: [ref('job-complete'), bad] });
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT' },
      message: expect.stringMatching(message),
    });
    expect(h.simulator.requests).toHaveLength(0);
  });

  describe('ENTITIES_MAX_REPRESENTATIONS', () => {
    it('accepts the default 500 representations, one upstream call per distinct job', async () => {
      const result = await h.query(ENTITIES, {
        representations: Array.from({ length: 500 }, () => ref('job-complete')),
      });
      expect(result.errors).toBeUndefined();
      expect(h.simulator.requests).toHaveLength(1);
    });

    it('refuses one more as BAD_USER_INPUT naming the limit and the setting, with no upstream call', async () => {
      const result = await h.query(ENTITIES, {
        representations: Array.from({ length: 501 }, () => ref('job-complete')),
      });
      expect(result.data).toBeNull();
      expect(result.errors).toHaveLength(1);
      expect(result.errors![0]).toMatchObject({
        extensions: { code: 'BAD_USER_INPUT', argumentName: 'representations' },
      });
      expect(result.errors![0]!.message).toBe(
        '_entities accepts at most 500 representations (got 501); the limit is ENTITIES_MAX_REPRESENTATIONS',
      );
      expect(h.simulator.requests).toHaveLength(0);
    });

    it('applies the limit the app was created with', async () => {
      const app = createApp({ client: h.client, entitiesMaxRepresentations: 2 });
      const post = async (count: number): Promise<GraphQLResult<unknown>> => {
        const response = await app.fetch('http://localhost/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            query: ENTITIES,
            variables: { representations: ['job-complete', 'job-empty', 'job-drift'].slice(0, count).map(ref) },
          }),
        });
        return response.json();
      };
      expect((await post(2)).errors).toBeUndefined();
      expect((await post(3)).errors![0]!.message).toMatch(/at most 2 representations \(got 3\)/);
      expect(h.simulator.requests.map((r) => r.jobId).sort()).toEqual(['job-complete', 'job-empty']);
    });
  });

  // The same argument rules on the gateway's path as on Query fields: same error, no upstream call.
  it.each([
    ['limit: 101'],
    ['limit: 0'],
    ['offset: -1'],
    ['first: 0'],
    ['first: 101'],
    ['after: "not-a-cursor"'],
    ['offset: 2, first: 3'],
  ])('answers operations(%s) on _entities exactly as on trainingJob', async (args) => {
    const viaQuery = await h.query(`{ trainingJob(jobId: "job-complete") { operations(${args}) { totalCount } } }`);
    const viaEntities = await h.query(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on TrainingJob { operations(${args}) { totalCount } } } }`,
      { r: [ref('job-complete')] },
    );
    const strip = (result: GraphQLResult<unknown>) =>
      result.errors!.map(({ message, extensions }) => ({ message, extensions }));
    expect(strip(viaQuery)[0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(strip(viaEntities)).toEqual(strip(viaQuery));
    expect(viaEntities.data).toEqual({ _entities: [{ operations: null }] });
    expect(h.simulator.requests).toHaveLength(0);
  });
});
