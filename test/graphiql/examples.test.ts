// Every example preloaded into GraphiQL works against the simulator as written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLES, EXAMPLES_DOCUMENT } from '../../src/graphiql/examples.js';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const nameOf = (query: string) => /^query (\w+)/m.exec(query)![1]!;

describe('GraphiQL examples', () => {
  it.each(EXAMPLES.map((query) => [nameOf(query), query]))('%s runs without variables', async (name, query) => {
    const result = await h.query(query);
    expect(result.data, JSON.stringify(result.errors)).toBeTruthy();
    if (name === 'Dashboard') {
      // It shows partial failure on purpose: fault-503 fails, the rest has data.
      expect(result.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[['trainingJobs', 4, 'operations'], 'UPSTREAM_UNAVAILABLE']]);
    } else {
      expect(result.errors).toBeUndefined();
    }
  });

  it('share one document in which each operation can be picked by name', async () => {
    for (const query of EXAMPLES) {
      const response = await h.app.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: EXAMPLES_DOCUMENT, operationName: nameOf(query) }),
      });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { data?: unknown }).data).toBeTruthy();
    }
  });
});
