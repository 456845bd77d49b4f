// PERSISTED_OPERATIONS_FILE: the allowlist of operations, read and checked once at start.
import { readFileSync } from 'node:fs';
import { sha256Hex } from '../upstream/signer.js';

export type PersistedOperations = ReadonlyMap<string, string>;

/**
 * Reads PERSISTED_OPERATIONS_FILE: a JSON object from the SHA-256 hex digest of a
 * document to the document. Returns the problems instead when it is unusable; a
 * digest that is not the document's own is one (the list was built wrongly).
 */
export function loadPersistedOperations(path: string): { operations: PersistedOperations } | { problems: string[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const reason = error instanceof SyntaxError ? 'is not valid JSON' : 'cannot be read';
    return { problems: [`PERSISTED_OPERATIONS_FILE ${reason}`] };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { problems: ['PERSISTED_OPERATIONS_FILE must hold a JSON object of sha256 hex digest → document'] };
  }
  const problems: string[] = [];
  const operations = new Map<string, string>();
  for (const [hash, document] of Object.entries(parsed)) {
    if (typeof document !== 'string' || !/^[0-9a-f]{64}$/.test(hash) || sha256Hex(document) !== hash) {
      problems.push(
        `PERSISTED_OPERATIONS_FILE entry ${JSON.stringify(hash.slice(0, 80))} must map the SHA-256 hex digest of a document to that document`,
      );
    } else {
      operations.set(hash, document);
    }
  }
  if (problems.length === 0 && operations.size === 0) problems.push('PERSISTED_OPERATIONS_FILE holds no operations');
  return problems.length > 0 ? { problems } : { operations };
}
