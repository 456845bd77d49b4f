// Graceful shutdown on SIGTERM/SIGINT: stop accepting, complete the open
// subscription streams, let in-flight requests finish, then close the upstream
// pool and everything else, and exit 0. Past the deadline, cut the remaining
// connections and exit 1. A second signal ends the process at once.
import type { Server } from 'node:http';
import type { Logger } from 'pino';

export interface ShutdownOptions {
  /** The public server; its in-flight requests are waited for. */
  server: Server;
  /**
   * Ends the streams that would otherwise hold the drain until the deadline:
   * subscriptions complete, WebSockets close.
   */
  endStreams?: () => Promise<void>;
  /** Closed once the server has drained, in order (upstream pool, simulator, metrics server...). */
  resources: (() => Promise<void> | void)[];
  timeoutMs: number;
  logger: Logger;
}

/** While draining, idle keep-alive connections are closed this often, so none holds the server open. */
const IDLE_SWEEP_MS = 50;

export function handleShutdownSignals({ server, endStreams, resources, timeoutMs, logger }: ShutdownOptions): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    // A second SIGTERM or SIGINT gets the signal's own default action: the process ends at
    // once, even should its main thread be stuck, which no JavaScript handler could help.
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    const deadline = setTimeout(() => {
      server.closeAllConnections();
      for (const close of resources)
        void Promise.resolve()
          .then(close)
          .catch(() => undefined);
      exitAfter(1, () => logger.error({ timeoutMs }, 'shutdown timed out: closed the remaining connections'));
    }, timeoutMs);
    // A connection that finishes its last response after close() stays open for
    // keep-alive until swept; in-flight ones are left alone.
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);

    server.close(async () => {
      clearInterval(sweep);
      try {
        for (const close of resources) await close();
      } catch (error) {
        exitAfter(1, () => logger.error({ err: error }, 'closing after shutdown failed'));
      }
      clearTimeout(deadline);
      exitAfter(0, () => logger.info('stopped'));
    });
    // After close(): no new connection can open a stream once they are ended.
    endStreams?.().catch((error: unknown) => logger.error({ err: error }, 'ending the open streams failed'));
    // Last: should logging throw (stdout gone), the deadline and the drain are already set.
    logger.info({ signal, timeoutMs }, `${signal} received: finishing in-flight requests, then exiting`);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** Exits with `code` even when the last log line cannot be written. */
function exitAfter(code: number, log: () => void): never {
  try {
    log();
  } finally {
    process.exit(code);
  }
}
