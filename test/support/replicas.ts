// N replicas of the server, each its own process started as `npm start` starts
// it (src/main.ts), with one environment: in tests, one simulator and one Redis.
import { runScript, type Script } from './processes.js';

export interface Replica {
  /** http://127.0.0.1:<port> */
  origin: string;
  /** The GraphQL endpoint. */
  url: string;
  script: Script;
}

export async function startReplicas(count: number, env: Record<string, string>): Promise<Replica[]> {
  const scripts = Array.from({ length: count }, () => runScript('src/main.ts', { PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'test', ...env }));
  return Promise.all(
    scripts.map(async (script) => {
      const origin = (await script.waitFor(/GraphiQL at (http:\/\/127\.0\.0\.1:\d+)\/graphql/))?.[1];
      if (!origin) throw new Error(`A replica did not start:\n${script.output()}`);
      return { origin, url: `${origin}/graphql`, script };
    }),
  );
}
