// What is worked out once per operation and then reused, as yoga reuses a
// document's parse and validation: keyed by schema and document (both weakly,
// so a schema or document that goes away takes its entries along), then by
// operation name. Yoga's parse cache hands out the same DocumentNode for the
// same text, so in practice this is per query text.
import type { DocumentNode, GraphQLSchema } from 'graphql';

export function perOperation<T>(
  compute: (schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined) => T,
): (schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined) => T {
  const cache = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string | undefined, T>>>();
  return (schema, document, operationName) => {
    let byDocument = cache.get(schema);
    if (!byDocument) {
      byDocument = new WeakMap();
      cache.set(schema, byDocument);
    }
    let byName = byDocument.get(document);
    if (!byName) {
      byName = new Map();
      byDocument.set(document, byName);
    }
    const name = operationName ?? undefined;
    if (byName.has(name)) return byName.get(name) as T;
    const value = compute(schema, document, name);
    byName.set(name, value);
    return value;
  };
}
