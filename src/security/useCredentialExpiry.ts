// A subscription lives no longer than the credential that opened it: when the
// JWT's `exp` passes, the stream's last result is an UNAUTHENTICATED error and
// it completes. Over WebSocket the socket's own timer (src/webSocket.ts) ends
// its operations the same way and then closes it with 4401.
import type { ExecutionResult } from 'graphql';
import { createGraphQLError, isAsyncIterable, type Plugin } from 'graphql-yoga';

export const CREDENTIALS_EXPIRED = 'The credentials expired: connect or subscribe again with fresh ones';

/** The longest wait a Node timer holds; a later time is waited for in steps. */
const MAX_TIMER_MS = 2_147_483_647;

/** Runs `then` at epoch ms `at` (at once when it has passed); returns the cancel. */
export function atTime(at: number, then: () => void): () => void {
  let timer: NodeJS.Timeout;
  const wait = () => {
    const left = at - Date.now();
    timer = left > MAX_TIMER_MS ? setTimeout(wait, MAX_TIMER_MS) : setTimeout(then, Math.max(0, left));
  };
  wait();
  return () => clearTimeout(timer);
}

/** The verified token's expiry in epoch ms, as @graphql-yoga/plugin-jwt leaves it in the context; none without. */
export function expiryOf(context: { jwt?: { payload?: { exp?: unknown } } }): number | undefined {
  const exp = context.jwt?.payload?.exp;
  return typeof exp === 'number' ? exp * 1000 : undefined;
}

const EXPIRED = Symbol('expired');

export function useCredentialExpiry(): Plugin {
  return {
    onSubscribe({ args }) {
      const expiresAt = expiryOf(args.contextValue as Parameters<typeof expiryOf>[0]);
      if (expiresAt === undefined) return;
      return {
        onSubscribeResult({ result, setResult }) {
          if (isAsyncIterable(result)) setResult(new UntilExpiry(result[Symbol.asyncIterator](), expiresAt));
        },
      };
    },
  };
}

/** The source's results until `expiresAt`; then the expiry error, and the end. */
class UntilExpiry implements AsyncIterableIterator<ExecutionResult> {
  private readonly expired: Promise<typeof EXPIRED>;
  private readonly cancel: () => void;
  private over = false;

  constructor(
    private readonly source: AsyncIterator<ExecutionResult>,
    expiresAt: number,
  ) {
    let expire!: () => void;
    this.expired = new Promise((resolve) => (expire = () => resolve(EXPIRED)));
    this.cancel = atTime(expiresAt, expire);
  }

  async next(): Promise<IteratorResult<ExecutionResult>> {
    if (this.over) return { value: undefined, done: true };
    const result = await Promise.race([this.source.next(), this.expired]);
    if (result !== EXPIRED) {
      if (result.done) this.cancel();
      return result;
    }
    this.over = true;
    void this.source.return?.();
    const error = createGraphQLError(CREDENTIALS_EXPIRED, { extensions: { code: 'UNAUTHENTICATED' } });
    return { value: { errors: [error] }, done: false };
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    this.over = true;
    this.cancel();
    await this.source.return?.();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
