// `write` prints the subgraph SDL to schema.graphql; `check` fails when the
// committed file differs from what the code builds. An optional second argument
// names another file (the tests check a stale copy).
import { readFile, writeFile } from 'node:fs/promises';
import { printSubgraphSchema } from '@apollo/subgraph';
import { schema } from '../src/schema/index.js';

const file = process.argv[3] ?? new URL('../schema.graphql', import.meta.url);
const printed = `${printSubgraphSchema(schema).trim()}\n`;

if (process.argv[2] === 'write') {
  await writeFile(file, printed);
  console.log('schema.graphql written');
} else {
  const committed = await readFile(file, 'utf8').catch(() => '');
  if (committed !== printed) {
    console.error('schema.graphql is stale: run `npm run schema` and commit the result.');
    process.exit(1);
  }
  console.log('schema.graphql is up to date');
}
