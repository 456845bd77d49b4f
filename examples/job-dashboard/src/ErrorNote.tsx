import type { Problem } from './errors';

export function ErrorNote({ problems }: { problems: readonly Problem[] }) {
  if (problems.length === 0) return null;
  return (
    <ul className="errors" role="alert">
      {problems.map(({ message, code }) => (
        <li key={`${code} ${message}`}>
          {code !== null && <code className="error-code">{code}</code>} {message}
        </li>
      ))}
    </ul>
  );
}
