// A read operation of MetaStudio's voice-training API, declared once: how its
// request is made, how its answer is checked and kept, what it costs. The client
// (client.ts) runs every operation through the same signing, guard, breaker,
// deadline, retries, budget, cap, page cache and events.

/** One request of an operation, before signing. */
export interface RequestParts {
  /** After `/v1/{project_id}/voice-training-manage/user/jobs`, percent-encoded: '' or '/{job_id}...'. */
  path: string;
  /** The canonical query: sorted by name, names and values percent-encoded; '' for none. Sent as is unless `wireQuery`. */
  query: string;
  /** The same parameters in the order they are sent, when that is another order. */
  wireQuery?: string;
  /** Sent and signed as X-App-UserId, when the operation takes one and the caller gave it. */
  appUserId?: string | undefined;
}

/** What an operation's events and logs name about a call. */
export interface CallTarget {
  jobId?: string | undefined;
  offset?: number | undefined;
  limit?: number | undefined;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

export interface UpstreamOperation<P, T extends object> {
  /** Names the operation in events, spans and cache keys, e.g. listOperationLogs. */
  readonly name: string;
  /** What the request reads, for attempt spans: `GET metastudio <resource>`. */
  readonly resource: string;
  /** Upstream calls one read makes (MAX_UPSTREAM_CALLS prices fields with it). */
  readonly cost: number;
  request(params: P): RequestParts;
  /** Everything in `params` that changes the answer; the client adds the tenant. */
  cacheKey(params: P): string;
  /** Checks a 2xx body and normalizes it; a page that cannot be used at all is a problem. */
  parse(body: unknown, params: P): Parsed<T>;
  /** The call's job, offset and limit, as its events carry them. */
  target(params: P): CallTarget;
}
