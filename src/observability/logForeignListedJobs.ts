// One warning per process when MetaStudio's job list, asked with a caller's
// X-App-UserId, holds another app user's job: the layer dropped it, but
// MetaStudio did not filter as documented, which an operator should know once
// (metastudio_scope_foreign_listed_jobs_total counts every one).
import type { Logger } from 'pino';
import { scopeEvents } from '../scope/scopeEvents.js';

let warned = false;

/** Warns at the first such job of the process, until the returned function is called. */
export function logForeignListedJobs(logger: Logger): () => void {
  return scopeEvents.foreignListed.subscribe(({ jobId }) => {
    if (warned) return;
    warned = true;
    logger.warn(
      { jobId },
      "MetaStudio's job list, asked with X-App-UserId, held another app user's job: dropped from the page (reported once per process)",
    );
  });
}
