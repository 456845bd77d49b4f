// The README's run command, as a process: starts on the simulator with no
// credentials, serves real data, stops cleanly; refuses bad configuration.
import { afterEach, describe, expect, it } from 'vitest';
import { killAll, runScript } from './processes.js';

afterEach(killAll);

describe('npm start', () => {
  it('serves the simulator on its own, says where in one line, and stops on SIGTERM', async () => {
    const server = runScript('src/main.ts', { PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'test' });
    const url = (await server.waitFor(/GraphiQL at (http:\/\/127\.0\.0\.1:\d+\/graphql)/))?.[1];
    expect(url, server.output()).toBeDefined();
    const lines = server.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/simulator/);

    const response = await fetch(url!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ trainingJob(jobId: "job-complete") { operations { totalCount } } }' }),
    });
    expect(await response.json()).toEqual({ data: { trainingJob: { operations: { totalCount: 7 } } } });

    server.child.kill('SIGTERM');
    expect(await server.exitCode()).toBe(0);
  });

  it('exits 1 naming the bad variable, without printing the secret key', async () => {
    const secret = 'SK-DO-NOT-PRINT-0123456789';
    const server = runScript('src/main.ts', { PORT: 'http', CLOUD_SDK_AK: 'AK', CLOUD_SDK_SK: secret });
    expect(await server.exitCode()).toBe(1);
    expect(server.output()).toContain('PORT');
    expect(server.output()).toContain('METASTUDIO_PROJECT_ID');
    expect(server.output()).not.toContain(secret);
  });

  it('refuses to serve real credentials on a public interface without authentication, within seconds', async () => {
    const secret = 'SK-DO-NOT-PRINT-0123456789';
    const server = runScript('src/main.ts', {
      PORT: '0',
      HOST: '0.0.0.0',
      CLOUD_SDK_AK: 'AK',
      CLOUD_SDK_SK: secret,
      METASTUDIO_PROJECT_ID: 'p1',
    });
    expect(await server.exitCode()).toBe(1);
    expect(server.output()).toContain('ALLOW_UNAUTHENTICATED=true');
    expect(server.output()).not.toContain(secret);
  });
});
