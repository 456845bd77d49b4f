// `npm run build`: compiles src/ into dist/ with tsc, then stamps dist/ so that
// `npm start` can tell whether it is older than the sources. Plain JavaScript:
// it must run where only node and typescript are installed.
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const STAMP = join('dist', '.built');
/** Besides src/, what changes the output. */
const INPUTS = ['tsconfig.json', 'tsconfig.build.json', 'package.json'];

/** True when dist/ is missing or older than any source or build setting under `root`. */
export function isStale(root = '.') {
  const built = statSync(join(root, STAMP), { throwIfNoEntry: false })?.mtimeMs;
  if (built === undefined) return true;
  const sources = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join('src', file));
  return [...sources, ...INPUTS].some(
    (file) => (statSync(join(root, file), { throwIfNoEntry: false })?.mtimeMs ?? 0) > built,
  );
}

export function build() {
  // From scratch, so a deleted source leaves no stale module behind.
  rmSync('dist', { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  writeFileSync(STAMP, '');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) build();
