import type { Problem } from './errors';

/** The problems, each distinct one once: a failed upstream call fails every field that needed it. */
export function ErrorNote({ problems }: { problems: readonly Problem[] }) {
  const distinct = new Map(problems.map((problem) => [`${problem.code} ${problem.message}`, problem]));
  if (distinct.size === 0) return null;
  return (
    <ul className="errors" role="alert">
      {[...distinct].map(([key, { message, code }]) => (
        <li key={key}>
          {code !== null && <code className="error-code">{code}</code>} {message}
        </li>
      ))}
    </ul>
  );
}
