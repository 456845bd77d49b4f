// The benchmark's workloads: the queries it sends, each with the passthrough's
// request asking the same of the upstream, and the jobs they draw on.
import { JOBS, WORKLOAD_NAMES } from './benchSettings.js';

const randomJob = () => `bench-${Math.floor(Math.random() * JOBS)}`;
/** `length` ids drawn from `distinct` different random jobs, repeats shuffled in. */
function jobIds(length: number, distinct: number): string[] {
  const pool = new Set<string>();
  while (pool.size < distinct) pool.add(randomJob());
  const unique = [...pool];
  const ids = Array.from({ length }, (_, i) => unique[i % distinct]!);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  return ids;
}

export interface Workload {
  name: string;
  title: string;
  /** Distinct jobs each query reads. */
  distinct: number;
  /**
   * Queries sent to warm a target up before it is measured (JIT, connections),
   * about 2 s of a quiet machine. A count rather than a time, so that a busy
   * machine cannot leave a target measured while V8 still compiles it.
   */
  warmup: number;
  /** A fresh request: the GraphQL body and the baseline's body asking the same. */
  make(): { graphql: string; baseline: string };
}

export const ALL_WORKLOADS: Workload[] = [
  {
    name: 'single',
    title: 'single job, first: 10',
    distinct: 1,
    warmup: 2_500,
    make() {
      const id = randomJob();
      return {
        graphql: JSON.stringify({
          query:
            'query Job($id: ID!) { trainingJob(jobId: $id) { operations(first: 10) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { time action operator externalInfo { reviewIdList } } } } } }',
          variables: { id },
        }),
        baseline: JSON.stringify({ jobIds: [id], limit: 10 }),
      };
    },
  },
  {
    name: 'dashboard',
    title: 'dashboard, 25 ids over 10 jobs',
    distinct: 10,
    warmup: 700,
    make() {
      const ids = jobIds(25, 10);
      return {
        graphql: JSON.stringify({
          query:
            'query Dashboard($ids: [ID!]!) { trainingJobs(jobIds: $ids) { jobId operations(limit: 5) { totalCount nodes { time action operator } } } }',
          variables: { ids },
        }),
        baseline: JSON.stringify({ jobIds: ids, limit: 5 }),
      };
    },
  },
  {
    name: 'entities',
    title: '_entities, 50 representations over 25 jobs',
    distinct: 25,
    warmup: 400,
    make() {
      const ids = jobIds(50, 25);
      return {
        graphql: JSON.stringify({
          query:
            'query Entities($r: [_Any!]!) { _entities(representations: $r) { ... on TrainingJob { jobId operations(limit: 5) { totalCount nodes { time action } } } } }',
          variables: { r: ids.map((jobId) => ({ __typename: 'TrainingJob', jobId })) },
        }),
        baseline: JSON.stringify({ jobIds: ids, limit: 5 }),
      };
    },
  },
  {
    name: 'list',
    title: 'job list, limit: 20, record fields',
    // One list page: its jobs' record fields cost no call of their own.
    distinct: 1,
    warmup: 700,
    make() {
      // A random page, so that the page cache rarely answers.
      const offset = Math.floor(Math.random() * (JOBS - 20));
      return {
        graphql: JSON.stringify({
          query:
            'query Jobs($offset: Int) { voiceTrainingJobs(offset: $offset, limit: 20) { totalCount nodes { jobId voiceName state jobType createdAt stateChangedAt } } }',
          variables: { offset },
        }),
        baseline: JSON.stringify({ list: { offset, limit: 20 } }),
      };
    },
  },
];
/** The workloads BENCH_WORKLOADS names. */
export const WORKLOADS = ALL_WORKLOADS.filter((w) => WORKLOAD_NAMES.includes(w.name));
/** Only the hello-world stage runs it: the floor of a yoga request. */
export const HELLO: Workload = {
  name: 'hello',
  title: '`{ hello }`',
  distinct: 0,
  warmup: 5_000,
  make: () => ({ graphql: JSON.stringify({ query: '{ hello }' }), baseline: '' }),
};

/** What the target called `target` can be asked. */
export function answers(target: string, workload: Workload): boolean {
  if (workload === HELLO) return target === 'hello';
  if (target === 'hello') return false;
  // The job list is newer than the before build and than the hand-written stage.
  if (workload.name === 'list' && (target === 'before' || target === 'plain')) return false;
  return !(target === 'app-federation' && workload.name === 'entities');
}
