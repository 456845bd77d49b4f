// The job list's filter and page live in the URL (?states=FAILED,AUDIT_FAILED&voice=Ava&after=…),
// so a filtered list can be shared and Back returns to the previous page.
import type { TrainingJobState } from './gql/graphql';

export interface ListView {
  states: TrainingJobState[];
  voiceName: string;
  /** The `endCursor` of the page before this one; null on the first page. */
  after: string | null;
}

/** The view in `search`; states this page does not offer (UNKNOWN, misspellings) are left out. */
export function listViewFromSearch(search: string, offered: readonly TrainingJobState[]): ListView {
  const params = new URLSearchParams(search);
  const states = (params.get('states') ?? '')
    .split(',')
    .filter((s): s is TrainingJobState => offered.includes(s as TrainingJobState));
  return {
    states: [...new Set(states)],
    voiceName: params.get('voice')?.trim() ?? '',
    after: params.get('after') || null,
  };
}

/** The search string of `view`: only the parameters that differ from the unfiltered first page. */
export function searchWithListView({ states, voiceName, after }: ListView): string {
  const params = new URLSearchParams();
  if (states.length > 0) params.set('states', states.join(','));
  if (voiceName !== '') params.set('voice', voiceName);
  if (after !== null) params.set('after', after);
  const search = params.toString().replace(/%2C/gi, ',');
  return search === '' ? '' : `?${search}`;
}
