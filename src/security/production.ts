// What production mode adds: no introspection (nor schema hints in validation
// messages) unless INTROSPECTION=true, and the persisted-operations allowlist.
// `_service`, which a federation gateway reads to compose, is an ordinary field
// and keeps working.
import { readFileSync } from 'node:fs';
import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { Kind, NoSchemaIntrospectionCustomRule, parse } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { sha256Hex } from '../upstream/signer.js';

export function useNoIntrospection(): Plugin[] {
  return [
    { onValidate: ({ addValidationRule }) => addValidationRule(NoSchemaIntrospectionCustomRule) },
    // "Did you mean …?" would hand out field names one guess at a time.
    blockFieldSuggestionsPlugin({ mask: '' }),
  ];
}

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
      problems.push(`PERSISTED_OPERATIONS_FILE entry ${JSON.stringify(hash.slice(0, 80))} must map the SHA-256 hex digest of a document to that document`);
    } else {
      operations.set(hash, document);
    }
  }
  if (problems.length === 0 && operations.size === 0) problems.push('PERSISTED_OPERATIONS_FILE holds no operations');
  return problems.length > 0 ? { problems } : { operations };
}

const refusal = (message: string, code: string) => ({ message, extensions: { code, http: { status: 400 } } });

/** The names of a document's operations; none when it does not parse (validation refuses it). */
function operationNames(document: string): Set<string> {
  try {
    return new Set(parse(document).definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION && d.name ? [d.name.value] : [])));
  } catch {
    return new Set();
  }
}

/**
 * Only the listed operations run, asked for by hash as Apollo's persisted queries are:
 * extensions.persistedQuery.sha256Hash. An operationName must name an operation of
 * the listed document (graphql-js would refuse it anyway), so operation names, and
 * the metric series labelled with them, are bounded by the list.
 */
export function usePersistedOperationsOnly(operations: PersistedOperations): Plugin[] {
  const names = new Map([...operations.values()].map((document) => [document, operationNames(document)]));
  return [
    usePersistedOperations({
      getPersistedOperation: (hash) => operations.get(hash) ?? null,
      allowArbitraryOperations: false,
      customErrors: {
        persistedQueryOnly: refusal(
          'Only persisted operations run here: send extensions.persistedQuery.sha256Hash instead of a query',
          'PERSISTED_QUERY_ONLY',
        ),
        keyNotFound: refusal('Send extensions.persistedQuery { version: 1, sha256Hash } of a persisted operation', 'PERSISTED_QUERY_ID_REQUIRED'),
        notFound: refusal('No persisted operation has this sha256Hash', 'PERSISTED_QUERY_NOT_IN_LIST'),
      },
    }),
    {
      onParams({ params }) {
        const { operationName, query } = params;
        if (operationName != null && !(query !== undefined && names.get(query)?.has(operationName))) {
          const error = refusal('operationName names no operation of this persisted operation', 'PERSISTED_QUERY_OPERATION_NAME');
          throw createGraphQLError(error.message, error);
        }
      },
    },
  ];
}
