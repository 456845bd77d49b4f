// The urql client: every document goes out as its codegen hash (trusted
// documents) or as text, and subscriptions use GraphQL over SSE, which yoga
// serves without a plugin.
import { persistedExchange } from '@urql/exchange-persisted';
import type { DocumentNode } from 'graphql';
import { cacheExchange, Client, fetchExchange } from 'urql';

interface ClientSettings {
  url: string;
  /** Send each document's sha256 only, never its text: for a server started with PERSISTED_OPERATIONS_FILE. */
  trustedDocuments: boolean;
  /** The signed-in end user's token: sent as a bearer token, so a scoped server answers with their jobs only. */
  token?: string | undefined;
}

/** The hash codegen embedded in the document (persistedDocuments: embedHashInDocument). */
function codegenHash(document: DocumentNode): string {
  const hash = (document as { __meta__?: { hash?: unknown } }).__meta__?.hash;
  if (typeof hash !== 'string')
    throw new Error('A document without a codegen hash: write it with graphql() from ./gql and run npm run codegen');
  return hash;
}

export function createClient({ url, trustedDocuments, token }: ClientSettings): Client {
  return new Client({
    url,
    // Subscriptions over SSE go through the same fetch, so they carry it too.
    ...(token ? { fetchOptions: { headers: { authorization: `Bearer ${token}` } } } : {}),
    // Subscriptions over fetch as text/event-stream, one request each.
    fetchSubscriptions: true,
    // JSON POSTs: a GET would need a CSRF header (and so a preflight) anyway.
    preferGetMethod: false,
    // Answers are cached by document and variables; live data comes from the subscription.
    exchanges: [
      cacheExchange,
      ...(trustedDocuments
        ? [
            persistedExchange({
              enforcePersistedQueries: true,
              enableForSubscriptions: true,
              preferGetForPersistedQueries: false,
              generateHash: async (_query, document) => codegenHash(document),
            }),
          ]
        : []),
      fetchExchange,
    ],
  });
}
