// Setup file of every test file: each logger the code creates also writes its lines
// to this worker's file in the run's log directory, where test/support/logCheck.ts looks
// for secrets once every test file has run.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject, vi } from 'vitest';

vi.mock('../../src/observability/logger.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/observability/logger.js')>();
  const file = join(inject('logDir'), `worker-${process.pid}.log`);
  return {
    ...original,
    createLogger(options: import('../../src/observability/logger.js').LoggerOptions = {}) {
      // pino-pretty runs in a worker thread of its own; tests don't ask for it.
      if (options.pretty) return original.createLogger(options);
      const destination = options.destination ?? process.stdout;
      return original.createLogger({
        ...options,
        destination: {
          write(line: string) {
            appendFileSync(file, line);
            return destination.write(line);
          },
        },
      });
    },
  };
});
