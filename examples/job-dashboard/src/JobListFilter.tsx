import { useState, type FormEvent } from 'react';
import type { TrainingJobState } from './gql/graphql';
import type { ListView } from './listView';
import { JOB_STATES, stateLabel } from './StateBadge';

/** The states a filter offers: UNKNOWN is not a state MetaStudio can be asked for. */
export const FILTER_STATES = JOB_STATES.filter((state) => state !== 'UNKNOWN');

interface JobListFilterProps {
  view: ListView;
  /** A new filter; the list starts again at its first page. */
  onChange: (states: TrainingJobState[], voiceName: string) => void;
}

/** States apply as they are ticked (several at once); the voice name when submitted. */
export function JobListFilter({ view, onChange }: JobListFilterProps) {
  const [voiceName, setVoiceName] = useState(view.voiceName);
  const [shown, setShown] = useState(view.voiceName);
  // The filter changed from outside (back/forward): show it.
  if (shown !== view.voiceName) {
    setShown(view.voiceName);
    setVoiceName(view.voiceName);
  }
  const toggle = (state: TrainingJobState, on: boolean) =>
    onChange(
      FILTER_STATES.filter((s) => (s === state ? on : view.states.includes(s))),
      view.voiceName,
    );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onChange(view.states, voiceName.trim());
  };
  return (
    <form className="filter" onSubmit={submit} aria-label="Filter jobs">
      <fieldset className="states">
        <legend>State</legend>
        {FILTER_STATES.map((state) => (
          <label key={state} className={view.states.includes(state) ? 'chip on' : 'chip'}>
            <input
              type="checkbox"
              name="state"
              value={state}
              checked={view.states.includes(state)}
              onChange={(e) => toggle(state, e.target.checked)}
            />
            {stateLabel(state)}
          </label>
        ))}
        {view.states.length > 0 && (
          <button type="button" className="clear" onClick={() => onChange([], view.voiceName)}>
            Any state
          </button>
        )}
      </fieldset>
      <div className="voice-filter">
        <label htmlFor="voice-name">Voice name</label>
        <input
          id="voice-name"
          type="search"
          value={voiceName}
          onChange={(e) => setVoiceName(e.target.value)}
          spellCheck={false}
        />
        <button type="submit">Filter</button>
      </div>
    </form>
  );
}
