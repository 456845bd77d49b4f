// The README's run command, as a process: starts on the simulator with no
// credentials, serves real data, stops cleanly; refuses bad configuration.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const tsx = join('node_modules', '.bin', 'tsx');

function start(env: Record<string, string>): ChildProcessWithoutNullStreams {
  const { CLOUD_SDK_AK, CLOUD_SDK_SK, HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK, ...clean } = process.env;
  return spawn(tsx, ['src/main.ts'], { env: { ...clean, NODE_ENV: 'test', ...env } });
}

async function output(child: ChildProcessWithoutNullStreams, until: RegExp): Promise<string> {
  let text = '';
  const collect = (chunk: Buffer) => (text += chunk.toString());
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  while (!until.test(text)) {
    const exited = once(child, 'exit').then(() => 'exit');
    const data = once(child.stdout, 'data').then(() => 'data');
    if ((await Promise.race([exited, data])) === 'exit') break;
  }
  return text;
}

describe('npm start', () => {
  it('serves the simulator on its own, says where in one line, and stops on SIGTERM', async () => {
    const child = start({ PORT: '0', HOST: '127.0.0.1' });
    try {
      const text = await output(child, /GraphiQL at http:\/\/127\.0\.0\.1:\d+\/graphql/);
      const lines = text.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/simulator/);
      const url = /(http:\/\/127\.0\.0\.1:\d+\/graphql)/.exec(text)![1]!;
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ trainingJob(jobId: "job-complete") { operations { totalCount } } }' }),
      });
      expect(await response.json()).toEqual({ data: { trainingJob: { operations: { totalCount: 7 } } } });
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      expect(code).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('exits 1 naming the bad variable, without printing the secret key', async () => {
    const secret = 'SK-DO-NOT-PRINT-0123456789';
    const child = start({ PORT: 'http', CLOUD_SDK_AK: 'AK', CLOUD_SDK_SK: secret });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(text).toContain('PORT');
    expect(text).toContain('METASTUDIO_PROJECT_ID');
    expect(text).not.toContain(secret);
  });
});
