// `npm run compose [-- name=url ...]`: composes supergraph.graphql (or
// SUPERGRAPH_FILE) from the subgraphs as they run now. Without arguments: our
// subgraph on :4000 and the voice-models example on :4001. Starts nothing itself;
// exits 1 with the reason when a subgraph is unreachable or composition fails.
import { writeFile } from 'node:fs/promises';
import { composeSupergraph, DEFAULT_SUBGRAPHS, SUPERGRAPH_FILE, SupergraphError, type Subgraph } from './supergraph.js';

function parseArgument(argument: string): Subgraph {
  const match = /^([A-Za-z][\w-]*)=(https?:\/\/.+)$/.exec(argument);
  if (!match) {
    console.error(`"${argument}" is not name=url, e.g. oplogs=http://127.0.0.1:4000/graphql`);
    process.exit(1);
  }
  return { name: match[1]!, url: match[2]! };
}

const args = process.argv.slice(2);
const subgraphs = args.length > 0 ? args.map(parseArgument) : DEFAULT_SUBGRAPHS;

try {
  await writeFile(SUPERGRAPH_FILE, await composeSupergraph(subgraphs));
} catch (error) {
  if (!(error instanceof SupergraphError)) throw error;
  console.error(error.message);
  process.exit(1);
}
console.log(`${SUPERGRAPH_FILE} written from ${subgraphs.map((s) => `${s.name} (${s.url})`).join(', ')}`);
