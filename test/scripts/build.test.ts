// `npm start` on a copy of the project: the first run builds dist/ (it is
// missing), the built server answers, and the next run starts without building.
import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { killAll, postQuery, runScript } from '../support/processes.js';
import { useProjectCopy } from '../support/projectCopy.js';

afterEach(killAll);

const copy = useProjectCopy();

async function start(): Promise<string> {
  const server = runScript('scripts/start.mjs', { PORT: '0', NODE_ENV: 'test' }, { cwd: copy() });
  const url = (await server.waitFor(/GraphiQL at (http:\/\/127\.0\.0\.1:\d+\/graphql)/))?.[1];
  expect(url, server.output()).toBeDefined();
  const response = await postQuery(url!, '{ trainingJob(jobId: "job-complete") { operations { totalCount } } }');
  expect(await response.json()).toEqual({ data: { trainingJob: { operations: { totalCount: 7 } } } });
  server.child.kill('SIGTERM');
  expect(await server.exitCode()).toBe(0);
  return server.output();
}

it('builds dist/ when it is missing or older than src/, and runs it', async () => {
  expect(await start()).toMatch(/building/);
  expect(await start()).not.toMatch(/building/);
  const later = new Date(Date.now() + 5_000);
  utimesSync(join(copy(), 'src', 'app.ts'), later, later);
  expect(await start()).toMatch(/building/);
}, 60_000);
