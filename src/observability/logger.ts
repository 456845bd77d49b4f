// One pino logger for the process. Secrets are redacted by path wherever they
// could end up in a logged object, whatever the level.
import { pino, type DestinationStream, type Logger } from 'pino';

const REDACTED_PATHS = [
  'secretKey',
  'securityToken',
  '*.secretKey',
  '*.securityToken',
  '*.credentials',
  'credentials',
  'headers.authorization',
  'headers["x-security-token"]',
  '*.headers.authorization',
  '*.headers["x-security-token"]',
  'req.headers.authorization',
  // Caller credentials (AUTH_MODE) and the JWT secret, wherever a request or the config is logged.
  'headers["x-api-key"]',
  '*.headers["x-api-key"]',
  'req.headers["x-api-key"]',
  'headers.cookie',
  '*.headers.cookie',
  'jwt',
  '*.jwt',
  'token',
  '*.token',
  'secret',
  '*.secret',
  '*.auth.secret',
];

export interface LoggerOptions {
  level?: string;
  /** Human-readable output, for a terminal in development. */
  pretty?: boolean;
  /** Where lines go; stdout by default. */
  destination?: DestinationStream;
}

/** Lines kept while stdout's reader does not keep up; beyond it new lines are dropped, never waited for. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/**
 * stdout, written without ever blocking the process: pino's default writes
 * synchronously, and a pipe whose reader stopped reading then holds the main
 * thread in a retry loop for good (no request served, no signal handled, no
 * exit). Writes are queued instead, up to MAX_BUFFERED_BYTES; a reader that
 * closed (EPIPE) turns logging off. At exit what is queued gets one attempt.
 */
function stdoutDestination(): DestinationStream {
  let exiting = false;
  const stream = pino.destination({
    dest: 1,
    sync: false,
    maxLength: MAX_BUFFERED_BYTES,
    retryEAGAIN: () => !exiting,
  });
  const flushSync = stream.flushSync.bind(stream);
  // pino calls it from the process's exit handler.
  stream.flushSync = () => {
    exiting = true;
    try {
      flushSync();
    } catch {
      // A full pipe at exit: what is left is lost rather than waited for.
    }
  };
  return stream;
}

export function createLogger({ level = 'info', pretty = false, destination }: LoggerOptions = {}): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      ...(pretty
        ? { transport: { target: 'pino-pretty', options: { ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss' } } }
        : {}),
    },
    pretty ? destination : (destination ?? stdoutDestination()),
  );
}
