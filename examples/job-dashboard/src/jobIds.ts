// The page's job list lives in its URL (?jobs=id1,id2), so a view can be shared.

/** The simulator's example jobs: completed, rejected twice, a long history, an upstream failure and a live one. */
export const DEFAULT_JOB_IDS: readonly string[] = [
  'job-complete',
  'job-admin-rejected',
  'job-algorithm-failed',
  'job-long-history',
  'fault-503',
  'live-3000-demo',
];

/** Ids separated by commas or white space, each once, in the order given. */
export function parseJobIds(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter((id) => id !== ''))];
}

/** The ids in `?jobs=`, or the examples when the page has no `jobs` parameter. */
export function jobIdsFromSearch(search: string): string[] {
  const jobs = new URLSearchParams(search).get('jobs');
  return jobs === null ? [...DEFAULT_JOB_IDS] : parseJobIds(jobs);
}

/** `search` with `jobs` set to the ids; other parameters are kept. */
export function searchWithJobIds(search: string, jobIds: readonly string[]): string {
  const params = new URLSearchParams(search);
  params.set('jobs', jobIds.join(','));
  // Commas are safe in a query string; keep them readable for people who share the link.
  return `?${params.toString().replace(/%2C/gi, ',')}`;
}
