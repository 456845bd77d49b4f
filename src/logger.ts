// One pino logger for the process. Secrets are redacted by path wherever they
// could end up in a logged object, whatever the level.
import { pino, type Logger } from 'pino';

export const REDACTED_PATHS = [
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
];

export function createLogger(options: { level?: string; pretty?: boolean } = {}): Logger {
  return pino({
    level: options.level ?? 'info',
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    ...(options.pretty ? { transport: { target: 'pino-pretty', options: { ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss' } } } : {}),
  });
}
