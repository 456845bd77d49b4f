// The benchmark's baseline: the least a server can do to answer the same
// questions. POST / with {"jobIds": [...], "limit": n} makes one signed upstream
// call per distinct job (offset 0) on an undici Pool, exactly as our client signs
// it, and answers {"jobs": [{jobId, count, operations}, ...]} in the order asked,
// repeats included; POST / with {"list": {"offset", "limit"}} makes one signed
// job-list call and answers its page. No GraphQL, no validation, no retries, no limits.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { Pool } from 'undici';
import { opLogs } from '../src/upstream/opLogs.js';
import type { RequestParts } from '../src/upstream/operation.js';
import { requestSigner } from '../src/upstream/requestSigner.js';
import { voiceTrainingJobs } from '../src/upstream/voiceTrainingJobs.js';
import type { OpLogWindow } from '../src/upstream/opLogs.js';
import type { Credentials } from '../src/upstream/signer.js';

export interface PassthroughOptions {
  endpoint: string;
  projectId: string;
  credentials: Credentials;
  /** Upstream connections, as UPSTREAM_CONCURRENCY gives our server. */
  connections: number;
}

export interface Passthrough {
  url: string;
  close(): Promise<void>;
}

interface Page {
  count: number;
  operations: unknown[];
}

/** The signed op-logs call, on an undici Pool of `connections`, exactly as our client signs it; the benchmark's stages share it. */
export function signedOpLogs(
  target: { endpoint: string; projectId: string; credentials: Credentials },
  connections: number,
) {
  const origin = new URL(target.endpoint);
  const pool = new Pool(origin.origin, { connections, keepAliveTimeout: 4_000 });
  const sign = requestSigner({
    host: origin.host,
    basePath: [],
    projectId: target.projectId,
    credentials: target.credentials,
  });
  const fetchSigned = async <T>(parts: RequestParts): Promise<T> => {
    const { path, headers } = sign(parts, new Date());
    const response = await pool.request({ method: 'GET', path, headers });
    const body = (await response.body.json()) as T;
    if (response.statusCode !== 200) throw new Error(`upstream answered ${response.statusCode}`);
    return body;
  };
  return {
    fetchPage: (window: OpLogWindow) => fetchSigned<Page>(opLogs.request(window)),
    fetchJobs: (offset: number, limit: number) =>
      fetchSigned<{ count: number; jobs: unknown[] }>(voiceTrainingJobs.request({ offset, limit })),
    close: () => pool.close(),
  };
}

export async function startPassthrough(
  options: PassthroughOptions,
  port = 0,
  host = '127.0.0.1',
): Promise<Passthrough> {
  const upstream = signedOpLogs(options, options.connections);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const asked = JSON.parse(Buffer.concat(chunks).toString('utf8')) as
      | { jobIds: string[]; limit: number }
      | { list: { offset: number; limit: number } };
    if ('list' in asked) return send(res, await upstream.fetchJobs(asked.list.offset, asked.list.limit));
    const { jobIds, limit } = asked;
    const pages = new Map<string, Promise<Page>>();
    for (const jobId of jobIds)
      if (!pages.has(jobId)) pages.set(jobId, upstream.fetchPage({ jobId, offset: 0, limit }));
    const jobs = await Promise.all(jobIds.map(async (jobId) => ({ jobId, ...(await pages.get(jobId)!) })));
    send(res, { jobs });
  }

  function send(res: ServerResponse, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(error.message);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${bound}/`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await upstream.close();
    },
  };
}

// As a process of its own (the benchmark runs it so), configured like the server.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const env = process.env;
  const passthrough = await startPassthrough(
    {
      endpoint: env.METASTUDIO_ENDPOINT!,
      projectId: env.METASTUDIO_PROJECT_ID!,
      credentials: { accessKey: env.CLOUD_SDK_AK!, secretKey: env.CLOUD_SDK_SK! },
      connections: Number(env.UPSTREAM_CONCURRENCY ?? 8),
    },
    Number(env.PORT ?? 0),
  );
  console.log(`passthrough at ${passthrough.url}`);
  process.on('SIGTERM', () => void passthrough.close().then(() => process.exit(0)));
}
