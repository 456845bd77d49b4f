// Secrets made during the run, such as each simulator's random SK, added to those
// the check after the whole run (test/support/logCheck.ts) looks for in every log line.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';

export function registerSecret(secret: string): void {
  appendFileSync(join(inject('logDir'), `secrets-${process.pid}.txt`), `${secret}\n`);
}
