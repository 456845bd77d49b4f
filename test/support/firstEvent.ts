// A subscription's first result over SSE, read as GraphiQL reads it; then the client leaves.
import type { App } from '../../src/app.js';
import type { GraphQLResult } from './harness.js';

/** `headers`: more request headers, e.g. the caller's credentials. */
export async function firstEvent(
  app: App,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: GraphQLResult<Record<string, unknown>> }> {
  const leave = new AbortController();
  const response = await app.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify(body),
    signal: leave.signal,
  });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const data = /^event: next\ndata: (.+)$/m.exec(text)?.[1];
    if (data) {
      leave.abort();
      return { status: response.status, body: JSON.parse(data) as GraphQLResult<Record<string, unknown>> };
    }
    const { value, done } = await reader.read();
    if (done) throw new Error(`the stream ended without a result: ${text}`);
    text += decoder.decode(value, { stream: true });
  }
}
