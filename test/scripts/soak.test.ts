// The soak inside a container's memory: the production build runs with the node flags the image
// gives it under a 256 MiB limit (scripts/nodeFlags.sh), through queries from 50 clients with one
// upstream request in five faulted, and neither crashes nor answers a 5xx, and its peak RSS stays
// within the limit. A shorter soak than `npm run soak`'s, on a copy of the project (it builds dist/).
import { afterEach, expect, it } from 'vitest';
import { killAll, runScript } from '../support/processes.js';
import { useProjectCopy } from '../support/projectCopy.js';

afterEach(killAll);

const copy = useProjectCopy();

it('passes the soak with the heap the image gets in 256 MiB, within 256 MiB', async () => {
  const soak = runScript('scripts/soak.ts', { SOAK_QUERIES: '1000', SOAK_MEMORY_LIMIT_MIB: '256' }, { cwd: copy() });
  const code = await soak.exitCode();
  const output = soak.output();
  expect(output).toContain('node --max-old-space-size=128 --max-semi-space-size=32');
  expect(output).toMatch(/ok {3}HTTP 5xx from our server: 0\n/);
  expect(output).toMatch(/ok {3}server still up at the end: true\n/);
  expect(output).toMatch(/ok {3}peak RSS \d+ MB ≤ 256 MB/);
  expect(code, output).toBe(0);
}, 180_000);
