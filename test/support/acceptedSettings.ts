// Every environment variable the server's configuration reads, found by handing
// loadConfig an environment that records each read: the schema's keys and the aliases.
import { loadConfig } from '../../src/config.js';

export function acceptedSettings(): string[] {
  const read = new Set<string>();
  const env = new Proxy({} as NodeJS.ProcessEnv, {
    get(_target, key) {
      if (typeof key === 'string') read.add(key);
      return undefined;
    },
  });
  loadConfig(env);
  return [...read].filter((key) => /^[A-Z][A-Z0-9_]*$/.test(key)).sort();
}
