// Serves the voice-models example subgraph: `npm run example:voice-models`,
// on PORT (default 4001) and HOST (default 127.0.0.1).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createYoga } from 'graphql-yoga';
import { voiceModelsSchema } from './schema.js';

const port = Number(process.env.PORT || 4001);
const host = process.env.HOST || '127.0.0.1';
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error('PORT must be a whole number from 0 to 65535');
  process.exit(1);
}

const server = createServer(createYoga({ schema: voiceModelsSchema, graphqlEndpoint: '/graphql', landingPage: false }));
server.on('error', (error) => {
  console.error(`cannot listen on ${host}:${port}: ${error.message}`);
  process.exit(1);
});
server.listen(port, host, () => {
  const { port: bound } = server.address() as AddressInfo;
  console.log(`voice-models subgraph at http://${host}:${bound}/graphql`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.close(() => process.exit(0)));
