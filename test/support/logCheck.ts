// Global setup: a fresh directory for the run's log lines (test/support/logCapture.ts,
// test/support/processes.ts), and after every test file has run, a check that no line
// holds a test secret; if one does, the run fails.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ALL_TEST_SECRETS } from './secrets.js';

declare module 'vitest' {
  export interface ProvidedContext {
    logDir: string;
  }
}

/** A test file that always logs, so a run that includes it proves the capture works. */
const LOGGING_TEST = 'observability/useRequestLog.test.ts';

/** Secret files (test/support/runSecrets.ts) hold secrets made during the run, one per line. */
const isSecretFile = (name: string) => name.startsWith('secrets-');

/** Lines of the log files in `dir` that contain a secret, as "file: secret prefix…". */
export function linesWithSecrets(dir: string, secrets: readonly string[]): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir).filter((file) => !isSecretFile(file))) {
    for (const line of readFileSync(join(dir, name), 'utf8').split('\n')) {
      for (const secret of secrets) if (line.includes(secret)) found.push(`${name}: ${secret.slice(0, 8)}…`);
    }
  }
  return found;
}

export default function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'oplogs-test-logs-'));
  project.provide('logDir', dir);
  return () => {
    const names = readdirSync(dir);
    const files = names.filter((name) => !isSecretFile(name)).length;
    const madeDuringRun = names
      .filter(isSecretFile)
      .flatMap((name) => readFileSync(join(dir, name), 'utf8').split('\n').filter(Boolean));
    const found = linesWithSecrets(dir, [...ALL_TEST_SECRETS, ...madeDuringRun]);
    rmSync(dir, { recursive: true, force: true });
    // A run of a few files may log nothing; a run that includes the request-log tests must have.
    const mustHaveLogged = project.vitest.state.getFiles().some((file) => file.filepath.endsWith(LOGGING_TEST));
    const problem =
      files === 0 && mustHaveLogged
        ? 'No log line was captured: the log check saw nothing'
        : found.length > 0
          ? `Test secrets in log lines:\n${[...new Set(found)].join('\n')}`
          : null;
    if (problem) {
      // Vitest only logs an error thrown by a teardown; the exit code is what fails the run.
      process.exitCode = 1;
      throw new Error(problem);
    }
  };
}
