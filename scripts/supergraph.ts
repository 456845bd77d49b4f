// The supergraph: subgraph SDLs fetched from running servers (`_service { sdl }`,
// as a registry or `rover` would) and composed with @theguild/federation-composition.
// `npm run compose` and the gateway tests both go through here.
import { composeServices, compositionHasErrors } from '@theguild/federation-composition';
import { parse } from 'graphql';

export interface Subgraph {
  name: string;
  url: string;
}

/** Our subgraph (`npm start`) and the example (`npm run example:voice-models`) on their default ports. */
export const DEFAULT_SUBGRAPHS: readonly Subgraph[] = [
  { name: 'oplogs', url: 'http://127.0.0.1:4000/graphql' },
  { name: 'voice-models', url: 'http://127.0.0.1:4001/graphql' },
];

/** Where compose writes and the gateway reads; relative to the working directory. */
export const SUPERGRAPH_FILE = process.env.SUPERGRAPH_FILE || 'supergraph.graphql';

export class SupergraphError extends Error {
  constructor(
    message: string,
    readonly problems: string[],
  ) {
    super(`${message}\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SupergraphError';
  }
}

async function fetchSubgraphSdl({ name, url }: Subgraph): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
      body: JSON.stringify({ query: '{ _service { sdl } }' }),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new SupergraphError(`Cannot read subgraph "${name}"`, [
      `${url} is not reachable (${cause}): is the subgraph running?`,
    ]);
  }
  const body = (await response.json().catch(() => null)) as {
    data?: { _service?: { sdl?: unknown } };
    errors?: Array<{ message: string }>;
  } | null;
  const sdl = body?.data?._service?.sdl;
  if (typeof sdl !== 'string') {
    const problems = body?.errors?.map((e) => e.message) ?? [
      `HTTP ${response.status} without a _service { sdl } answer`,
    ];
    throw new SupergraphError(`Subgraph "${name}" at ${url} is not a federation subgraph`, problems);
  }
  return sdl;
}

/** Composes the subgraphs as they run now; throws SupergraphError listing every composition error. */
export async function composeSupergraph(subgraphs: readonly Subgraph[]): Promise<string> {
  const services = await Promise.all(
    subgraphs.map(async (subgraph) => ({ ...subgraph, typeDefs: parse(await fetchSubgraphSdl(subgraph)) })),
  );
  const result = composeServices(services);
  if (compositionHasErrors(result)) {
    throw new SupergraphError(
      'Composition failed',
      result.errors.map((e) => (e.extensions.code ? `[${String(e.extensions.code)}] ${e.message}` : e.message)),
    );
  }
  return result.supergraphSdl;
}
