// The persisted-operations allowlist: whenever PERSISTED_OPERATIONS_FILE is set,
// only its operations run, in any environment.
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { Kind, parse } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { PersistedOperations } from './persistedOperations.js';

const refusal = (message: string, code: string) => ({ message, extensions: { code, http: { status: 400 } } });

/** The names of a document's operations; none when it does not parse (validation refuses it). */
function operationNames(document: string): Set<string> {
  try {
    return new Set(
      parse(document).definitions.flatMap((d) =>
        d.kind === Kind.OPERATION_DEFINITION && d.name ? [d.name.value] : [],
      ),
    );
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
export function usePersistedOperationsOnly(operations: PersistedOperations): Plugin {
  const names = new Map([...operations.values()].map((document) => [document, operationNames(document)]));
  const plugins: Plugin[] = [
    usePersistedOperations({
      getPersistedOperation: (hash) => operations.get(hash) ?? null,
      allowArbitraryOperations: false,
      customErrors: {
        persistedQueryOnly: refusal(
          'Only persisted operations run here: send extensions.persistedQuery.sha256Hash instead of a query',
          'PERSISTED_QUERY_ONLY',
        ),
        keyNotFound: refusal(
          'Send extensions.persistedQuery { version: 1, sha256Hash } of a persisted operation',
          'PERSISTED_QUERY_ID_REQUIRED',
        ),
        notFound: refusal('No persisted operation has this sha256Hash', 'PERSISTED_QUERY_NOT_IN_LIST'),
      },
    }),
    // After the lookup above, which puts the listed document in params.query.
    {
      onParams({ params }) {
        const { operationName, query } = params;
        if (operationName != null && !(query !== undefined && names.get(query)?.has(operationName))) {
          const error = refusal(
            'operationName names no operation of this persisted operation',
            'PERSISTED_QUERY_OPERATION_NAME',
          );
          throw createGraphQLError(error.message, error);
        }
      },
    },
  ];
  return {
    onPluginInit({ addPlugin }) {
      for (const plugin of plugins) addPlugin(plugin);
    },
  };
}
