import { useState, type FormEvent } from 'react';
import { parseJobIds } from './jobIds';

/** The job list, editable: ids separated by commas, spaces or lines. */
export function JobIdsForm({ jobIds, onChange }: { jobIds: readonly string[]; onChange: (jobIds: string[]) => void }) {
  const [text, setText] = useState(jobIds.join('\n'));
  const [shown, setShown] = useState(jobIds);
  // The list changed from outside (back/forward): show it.
  if (shown !== jobIds) {
    setShown(jobIds);
    setText(jobIds.join('\n'));
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onChange(parseJobIds(text));
  };
  return (
    <form className="job-ids" onSubmit={submit}>
      <label htmlFor="job-ids">Job ids</label>
      <textarea
        id="job-ids"
        rows={Math.min(8, Math.max(3, jobIds.length))}
        value={text}
        onChange={(e) => setText(e.target.value)}
        spellCheck={false}
      />
      <button type="submit">Show jobs</button>
    </form>
  );
}
