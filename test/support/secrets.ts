// Every secret the tests hand to the code: upstream SKs and security tokens, JWT
// secrets, callers' API keys. Tests take them from here, so the log check after
// the whole run (test/support/logCheck.ts) knows what must never appear in a log line.
export const TEST_SECRETS = {
  /** The SK of the signer's published test vectors. */
  vectorSk: 'SKtestexample00000000000000000000000000',
  upstreamSk: 'SK-test-secret-key-never-logged-0001',
  securityToken: 'TOKEN-test-security-token-never-logged-0002',
  loggedSk: 'SK-secret-do-not-log-0123456789',
  loggedToken: 'TOKEN-secret-do-not-log-9876543210',
  configSk: 'sk-very-secret-value-0123456789',
  printedSk: 'SK-DO-NOT-PRINT-0123456789',
  simulatorTokenSk: 'sim-token-secret-key',
  simulatorSecurityToken: 'SIM-SECURITY-TOKEN+/=',
  jwtSecret: 'JWT-test-secret-never-logged-0003-padding',
  authJwtSecret: 'test-jwt-secret-of-32-characters-or-more-0001',
  authForgingSecret: 'another-secret-of-32-characters-or-more-0002',
  configJwtSecret: 'jwt-secret-of-at-least-32-characters-0123',
  apiKey: 'APIKEY-test-caller-key-never-logged-0004',
  wrongApiKey: 'APIKEY-test-wrong-key-never-logged-0005',
  authApiKey: 'caller-api-key-0123456789abcdef',
};

/** Also secrets, written as literals in test files this list cannot reach. */
const ELSEWHERE = ['the-right-secret', 'not-the-secret', 'another-secret'];

export const ALL_TEST_SECRETS: readonly string[] = [...Object.values(TEST_SECRETS), ...ELSEWHERE];
