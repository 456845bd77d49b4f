// The server's node flags follow the memory limit: V8's old generation gets half of it and the young
// generation's semi-spaces 1/8 (32 MB at most), whatever the cgroup version says; and npm start and
// the Dockerfile both take them from scripts/nodeFlags.sh, so that neither runs with other flags.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const MIB = 2 ** 20;
const flagsFor = (limit: string) => execFileSync('sh', ['scripts/nodeFlags.sh', limit]).toString().trim();

describe('scripts/nodeFlags.sh', () => {
  it('sizes the heap from the limit', () => {
    expect(flagsFor(String(256 * MIB))).toBe('--max-old-space-size=128 --max-semi-space-size=32');
    expect(flagsFor(String(128 * MIB))).toBe('--max-old-space-size=64 --max-semi-space-size=16');
    expect(flagsFor(String(1024 * MIB))).toBe('--max-old-space-size=512 --max-semi-space-size=32');
  });

  it('plans for 256 MiB when there is no limit (cgroup v2 "max", v1 near 2^63)', () => {
    const planned = flagsFor(String(256 * MIB));
    expect(flagsFor('max')).toBe(planned);
    expect(flagsFor('9223372036854771712')).toBe(planned);
  });

  it('is where npm start and the Dockerfile take their node flags from', () => {
    const { start } = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts;
    expect(start).toBe('node $(sh scripts/nodeFlags.sh) scripts/start.mjs');
    const cmd = /^CMD (.*)$/m.exec(readFileSync('Dockerfile', 'utf8'))?.[1];
    expect(JSON.parse(cmd!)).toEqual(['sh', '-c', 'exec node $(sh scripts/nodeFlags.sh) dist/main.js']);
    expect(readFileSync('Dockerfile', 'utf8')).toContain('COPY scripts/nodeFlags.sh ./scripts/');
  });
});
