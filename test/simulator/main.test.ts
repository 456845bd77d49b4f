// `npm run simulator` on its own, then the server pointed at it with the
// command it prints: the path README gives people building against it.
import { afterEach, describe, expect, it } from 'vitest';
import { killAll, runScript } from '../support/processes.js';
import { registerSecret } from '../support/runSecrets.js';

afterEach(killAll);

describe('npm run simulator', () => {
  it('prints a command that points the server at it, and that command works', async () => {
    // Another loopback address than the default: SIMULATOR_HOST is honoured.
    const simulator = runScript('src/simulator/main.ts', { SIMULATOR_PORT: '0', SIMULATOR_HOST: '127.0.0.2' });
    const command = await simulator.waitFor(
      / {2}(METASTUDIO_ENDPOINT=\S+ METASTUDIO_PROJECT_ID=\S+ CLOUD_SDK_AK=\S+ CLOUD_SDK_SK=\S+) npm start/,
    );
    expect(command, simulator.output()).not.toBeNull();
    expect(simulator.output()).toMatch(/Jobs: .*job-resubmitted.*fault-400/);
    expect(simulator.output()).toMatch(/Live jobs: live-<stepMs>-<name> .*\(10 to 3600000\)/);
    const env = Object.fromEntries(command![1]!.split(' ').map((pair) => pair.split('=') as [string, string]));
    // The SK it printed: the server process's log lines must not hold it.
    registerSecret(env.CLOUD_SDK_SK!);
    expect(env.METASTUDIO_ENDPOINT).toMatch(/^http:\/\/127\.0\.0\.2:\d+$/);

    const server = runScript('src/main.ts', { ...env, PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'test' });
    const url = (await server.waitFor(/(http:\/\/127\.0\.0\.1:\d+\/graphql)/))?.[1];
    expect(url, server.output()).toBeDefined();
    expect(server.output()).not.toMatch(/simulator/i);
    const response = await fetch(url!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ trainingJob(jobId: "job-admin-rejected") { operations { totalCount } } }' }),
    });
    expect(await response.json()).toEqual({ data: { trainingJob: { operations: { totalCount: 4 } } } });
    // The real-upstream startup line must not carry the secret key.
    expect(server.output()).not.toContain(env.CLOUD_SDK_SK);
  });

  it('refuses a bad port', async () => {
    const simulator = runScript('src/simulator/main.ts', { SIMULATOR_PORT: 'nine' });
    expect(await simulator.exitCode()).toBe(1);
    expect(simulator.output()).toMatch(/SIMULATOR_PORT must be a whole number/);
  });
});
