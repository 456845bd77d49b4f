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

export function createLogger({ level = 'info', pretty = false, destination }: LoggerOptions = {}): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      ...(pretty
        ? { transport: { target: 'pino-pretty', options: { ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss' } } }
        : {}),
    },
    destination,
  );
}
