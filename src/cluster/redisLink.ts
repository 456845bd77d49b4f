// The one connection to Redis (or Valkey) that shared state goes through. A
// command that fails, or gets no answer within REDIS_TIMEOUT_MS, marks Redis as
// down: from then on every caller takes its in-process fallback at once instead
// of waiting on Redis again, until a heartbeat finds Redis answering. A frozen
// Redis and an unreachable one look the same from here, and both are bounded.
import { Redis } from 'ioredis';
import { clusterEvents } from './events.js';

interface RedisLinkOptions {
  /** redis:// or rediss://, with password and database in the URL. */
  url: string;
  /** Put before every key and channel, so several deployments can share one Redis. */
  keyPrefix: string;
  /** Longest wait for one command's answer before Redis counts as down. */
  timeoutMs: number;
  /** Names this replica in events and in Redis's client list. */
  replicaId: string;
}

/** What run() and attempt() resolve with when Redis is down: the caller falls back. */
export const DOWN = Symbol('redis down');
export type Down = typeof DOWN;

/** A server-side script, called with its keys (unprefixed) and arguments. */
export type Script<Result> = (keys: string[], args: (string | number)[]) => Promise<Result>;

/** Reconnection after a lost connection: soon, then at most once a second. */
const RECONNECT_MAX_MS = 1_000;

export class RedisLink {
  private readonly client: Redis;
  private isUp = true;
  private readonly subscribers: Redis[] = [];

  private constructor(private readonly options: RedisLinkOptions) {
    this.client = new Redis(options.url, {
      keyPrefix: options.keyPrefix,
      commandTimeout: options.timeoutMs,
      connectTimeout: Math.max(options.timeoutMs, 1_000),
      // While disconnected, commands fail at once instead of queueing: the caller falls back.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: (times) => Math.min(times * 100, RECONNECT_MAX_MS),
      lazyConnect: true,
      connectionName: `msol-${options.replicaId}`,
    });
    // Failures surface through commands and are reported once per outage; ioredis
    // would otherwise print every reconnection error itself.
    this.client.on('error', () => {});
  }

  /**
   * Connects, waiting at most as long as a connection attempt may take. A Redis
   * that cannot be reached yet leaves the link down (reported once); ioredis keeps
   * reconnecting, and the first command that is answered brings it up.
   */
  static async connect(options: RedisLinkOptions): Promise<RedisLink> {
    const link = new RedisLink(options);
    const waitMs = Math.max(options.timeoutMs, 1_000);
    let timer: NodeJS.Timeout | undefined;
    const connected = link.client.connect().then(
      () => null,
      (error: Error) => error.message,
    );
    const timedOut = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`no connection within ${waitMs} ms`), waitMs);
    });
    const problem = await Promise.race([connected, timedOut]);
    clearTimeout(timer);
    if (problem !== null) link.markDown(problem);
    return link;
  }

  get up(): boolean {
    return this.isUp;
  }

  get replicaId(): string {
    return this.options.replicaId;
  }

  get keyPrefix(): string {
    return this.options.keyPrefix;
  }

  /** Runs a command unless Redis is down; DOWN when it is, or when the command fails or times out. */
  async run<T>(command: (redis: Redis) => Promise<T>): Promise<T | Down> {
    if (!this.isUp) return DOWN;
    return this.attempt(command);
  }

  /** Runs a command even while Redis is down (heartbeats use it to notice a return). */
  async attempt<T>(command: (redis: Redis) => Promise<T>): Promise<T | Down> {
    try {
      const result = await command(this.client);
      this.markUp();
      return result;
    } catch (error) {
      this.markDown((error as Error).message);
      return DOWN;
    }
  }

  /** Defines a Lua script once per connection (sent by hash, re-sent after a Redis restart). */
  script<Result>(name: string, lua: string, numberOfKeys: number): Script<Result> {
    const scripted = this.client as unknown as Record<string, (...args: (string | number)[]) => Promise<Result>>;
    if (typeof scripted[name] !== 'function') this.client.defineCommand(name, { lua, numberOfKeys });
    return (keys, args) => scripted[name]!(...keys, ...args);
  }

  /** The command connection, for publishing (its commands fail fast while Redis is down). */
  publisher(): Redis {
    return this.client;
  }

  /**
   * A second connection for pub/sub (a subscribed connection can do nothing else).
   * Its subscriptions wait for Redis however long it takes, and are renewed by
   * ioredis after reconnections. Closed with the link.
   */
  subscriber(): Redis {
    const connection = this.client.duplicate({
      enableOfflineQueue: true,
      commandTimeout: undefined,
      maxRetriesPerRequest: null,
      lazyConnect: false,
      connectionName: `msol-${this.options.replicaId}-sub`,
    });
    connection.on('error', () => {});
    this.subscribers.push(connection);
    return connection;
  }

  close(): void {
    for (const connection of [this.client, ...this.subscribers]) connection.disconnect();
  }

  private markUp(): void {
    if (this.isUp) return;
    this.isUp = true;
    clusterEvents.redis.publish({ replicaId: this.options.replicaId, up: true });
  }

  private markDown(reason: string): void {
    if (!this.isUp) return;
    this.isUp = false;
    clusterEvents.redis.publish({ replicaId: this.options.replicaId, up: false, reason });
  }
}
