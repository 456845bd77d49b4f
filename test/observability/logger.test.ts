import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { TEST_SECRETS } from '../support/secrets.js';

const { loggedSk: SK, loggedToken: TOKEN } = TEST_SECRETS;

describe('logger', () => {
  it('redacts secrets wherever they sit in a logged object, at every level', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'trace', destination: { write: (line: string) => lines.push(line) } });
    const credentials = { accessKey: 'AK', secretKey: SK, securityToken: TOKEN };
    for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const) {
      logger[level]({ credentials }, 'credentials');
      logger[level]({ upstream: { credentials, secretKey: SK, securityToken: TOKEN } }, 'nested');
      logger[level]({ secretKey: SK, securityToken: TOKEN }, 'flat');
      logger[level]({ headers: { authorization: `Bearer ${TOKEN}`, 'x-security-token': TOKEN } }, 'headers');
      logger[level]({ req: { headers: { authorization: `SDK-HMAC-SHA256 Access=AK, Signature=${SK}` } } }, 'request');
    }
    expect(lines).toHaveLength(30);
    const all = lines.join('\n');
    expect(all).not.toContain(SK);
    expect(all).not.toContain(TOKEN);
    expect(all).toContain('[redacted]');
  });
});
