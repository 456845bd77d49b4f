// A view of jobs by id lives in the URL (?jobs=id1,id2), so it can be shared.

/** Ids separated by commas or white space, each once, in the order given. */
export function parseJobIds(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter((id) => id !== ''))];
}

/** The ids in `?jobs=`, or null when the page has no `jobs` parameter (it shows the job list). */
export function jobIdsFromSearch(search: string): string[] | null {
  const jobs = new URLSearchParams(search).get('jobs');
  return jobs === null ? null : parseJobIds(jobs);
}

/** `search` with `jobs` set to the ids; other parameters are kept. */
export function searchWithJobIds(search: string, jobIds: readonly string[]): string {
  const params = new URLSearchParams(search);
  params.set('jobs', jobIds.join(','));
  // Commas are safe in a query string; keep them readable for people who share the link.
  return `?${params.toString().replace(/%2C/gi, ',')}`;
}
