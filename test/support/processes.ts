// Runs one of the project's entry points as a real process, the way the README's
// commands do, with the caller's credentials stripped from its environment.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';

/** It prints its own throwaway credentials on purpose, for copying into `npm start`. */
const PRINTS_CREDENTIALS = 'src/simulator/main.ts';

const running = new Set<ChildProcessWithoutNullStreams>();

export interface Script {
  child: ChildProcessWithoutNullStreams;
  /** Waits until stdout+stderr match, or the process exits; returns the match. */
  waitFor(pattern: RegExp): Promise<RegExpExecArray | null>;
  output(): string;
  exitCode(): Promise<number | null>;
}

export function runScript(
  script: string,
  env: Record<string, string>,
  { args = [], cwd }: { args?: string[]; cwd?: string } = {},
): Script {
  const { CLOUD_SDK_AK, CLOUD_SDK_SK, HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK, ...clean } = process.env;
  // node itself with tsx as a loader, not the tsx wrapper: signals, SIGKILL
  // included, must reach the process under test, or it outlives the test.
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd, env: { ...clean, ...env } });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  // Once its output has ended: into the run's log check (test/support/logCheck.ts).
  child.once('close', () => {
    if (script !== PRINTS_CREDENTIALS) appendFileSync(join(inject('logDir'), `child-${child.pid}.log`), text);
  });
  return {
    child,
    async waitFor(pattern) {
      while (!pattern.test(text)) {
        const more = Promise.race([once(child.stdout, 'data'), once(child.stderr, 'data')]).then(() => false);
        if (await Promise.race([more, exited.then(() => true)])) break;
      }
      return pattern.exec(text);
    },
    output: () => text,
    exitCode: () => exited,
  };
}

/** POSTs one GraphQL operation to a server the test started, and returns the response. */
export function postQuery(url: string, query: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
}

/** For afterEach: no test leaves a process behind, passed or failed. */
export function killAll(): void {
  for (const child of running) child.kill('SIGKILL');
}
