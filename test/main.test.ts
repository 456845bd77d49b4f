// The README's run command, as a process: starts on the simulator with no
// credentials, serves real data, stops cleanly; refuses bad configuration.
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { killAll, postQuery, runScript } from './support/processes.js';
import { TEST_SECRETS } from './support/secrets.js';

afterEach(killAll);

describe('npm start', () => {
  it('serves the simulator on its own, says where in one line, and stops on SIGTERM', async () => {
    const server = runScript('src/main.ts', { PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'test' });
    const url = (await server.waitFor(/GraphiQL at (http:\/\/127\.0\.0\.1:\d+\/graphql)/))?.[1];
    expect(url, server.output()).toBeDefined();
    const lines = server.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/simulator/);

    const response = await postQuery(url!, '{ trainingJob(jobId: "job-complete") { operations { totalCount } } }');
    expect(await response.json()).toEqual({ data: { trainingJob: { operations: { totalCount: 7 } } } });

    server.child.kill('SIGTERM');
    expect(await server.exitCode()).toBe(0);
  });

  it('drops a client that sends its headers too slowly, after HTTP_HEADERS_TIMEOUT_MS (408)', async () => {
    const server = runScript('src/main.ts', {
      PORT: '0',
      NODE_ENV: 'test',
      HTTP_HEADERS_TIMEOUT_MS: '1000',
      HTTP_REQUEST_TIMEOUT_MS: '1000',
    });
    const url = (await server.waitFor(/GraphiQL at (http:\/\/127\.0\.0\.1:\d+\/graphql)/))?.[1];
    expect(url, server.output()).toBeDefined();
    const socket = connect(Number(new URL(url!).port), '127.0.0.1');
    // A request line and one header, then nothing: a slow-headers client.
    socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n');
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    const closed = once(socket, 'close');
    // Node's own default would hold it for 60 s.
    const late = new Promise((_resolve, reject) =>
      setTimeout(() => reject(new Error('the slow client was still connected after 8 s')), 8_000).unref(),
    );
    await Promise.race([closed, late]);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    server.child.kill('SIGTERM');
  });

  it('exits 1 naming the bad variable, without printing the secret key', async () => {
    const secret = TEST_SECRETS.printedSk;
    const server = runScript('src/main.ts', { PORT: 'http', CLOUD_SDK_AK: 'AK', CLOUD_SDK_SK: secret });
    expect(await server.exitCode()).toBe(1);
    expect(server.output()).toContain('PORT');
    expect(server.output()).toContain('METASTUDIO_PROJECT_ID');
    expect(server.output()).not.toContain(secret);
  });

  it('refuses to serve real credentials on a public interface without authentication, within seconds', async () => {
    const secret = TEST_SECRETS.printedSk;
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

describe('docker run, as docs/operating.md shows it', () => {
  /** The environment docs/operating.md's `docker run` block gives the container: its `-e` flags, evaluated by a shell. */
  function dockerRunEnvironment(): Record<string, string> {
    const block = /```sh\n((?:(?!```)[\s\S])*docker run(?:(?!```)[\s\S])*)```/.exec(
      readFileSync('docs/operating.md', 'utf8'),
    )?.[1];
    expect(block).toBeDefined();
    // A stand-in for docker that prints each -e flag as NAME=value (a bare NAME passes the shell's own value).
    const docker =
      // biome-ignore lint/suspicious/noTemplateCurlyInString: ${!1} is bash, expanded by the shell
      'docker() { while [ $# -gt 0 ]; do if [ "$1" = -e ]; then shift; case "$1" in *=*) echo "$1";; *) echo "$1=${!1}";; esac; fi; shift; done; }';
    const output = execFileSync('bash', ['-c', `${docker}\n${block}`], {
      env: {
        PATH: process.env.PATH,
        CLOUD_SDK_AK: 'AK-docker',
        CLOUD_SDK_SK: 'SK-docker',
        METASTUDIO_PROJECT_ID: 'p1',
      },
      encoding: 'utf8',
    });
    return Object.fromEntries(
      output
        .trim()
        .split('\n')
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
  }

  /** The runtime stage's ENV of the Dockerfile. */
  function imageEnvironment(): Record<string, string> {
    const runtime = readFileSync('Dockerfile', 'utf8')
      .split(/^FROM /m)
      .at(-1)!;
    const env = /^ENV ((?:.*\\\n)*.*)$/m.exec(runtime)?.[1] ?? '';
    return Object.fromEntries([...env.matchAll(/(\w+)=(\S+)/g)].map((match) => [match[1]!, match[2]!]));
  }

  it('runs node with the flags npm start gives it (the young generation measured by npm run bench)', () => {
    const runtime = readFileSync('Dockerfile', 'utf8')
      .split(/^FROM /m)
      .at(-1)!;
    const command = JSON.parse(/^CMD (\[.*\])$/m.exec(runtime)?.[1] ?? '[]') as string[];
    const start = (
      JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }
    ).scripts.start.split(' ');
    const flags = (args: string[]) => args.filter((arg) => arg.startsWith('--'));
    expect(flags(command)).toEqual(flags(start));
    expect(flags(start)).toContain('--max-semi-space-size=32');
  });

  it('starts on all interfaces with real credentials, and asks callers for their key', async () => {
    const server = runScript('src/main.ts', { ...imageEnvironment(), ...dockerRunEnvironment(), PORT: '0' });
    const port = (await server.waitFor(/GraphiQL at http:\/\/[^:]+:(\d+)\//))?.[1];
    expect(port, server.output()).toBeDefined();
    const response = await postQuery(`http://127.0.0.1:${port}/graphql`, '{ __typename }');
    expect(response.status).toBe(401);
    server.child.kill('SIGTERM');
    expect(await server.exitCode()).toBe(0);
  });
});
