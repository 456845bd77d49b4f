// `npm run gateway`: Hive Gateway's runtime serving supergraph.graphql (or
// SUPERGRAPH_FILE), made by `npm run compose`, at http://HOST:PORT/graphql,
// default 127.0.0.1:4002.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGateway } from './hiveGateway.js';
import { SUPERGRAPH_FILE } from './supergraph.js';

const port = Number(process.env.PORT || 4002);
const host = process.env.HOST || '127.0.0.1';
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error('PORT must be a whole number from 0 to 65535');
  process.exit(1);
}

const supergraph = await readFile(SUPERGRAPH_FILE, 'utf8').catch(() => {
  console.error(`${SUPERGRAPH_FILE} not found: start the subgraphs and run \`npm run compose\` first`);
  process.exit(1);
});

const gateway = createGateway(supergraph);
const server = createServer(gateway);
server.on('error', (error) => {
  console.error(`cannot listen on ${host}:${port}: ${error.message}`);
  process.exit(1);
});
server.listen(port, host, () => {
  const { port: bound } = server.address() as AddressInfo;
  console.log(`Hive Gateway serving ${SUPERGRAPH_FILE} at http://${host}:${bound}/graphql`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () =>
    server.close(async () => {
      await gateway.dispose();
      process.exit(0);
    }),
  );
}
