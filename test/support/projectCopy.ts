// A copy of the project in a temporary folder (sources, scripts, settings; node_modules linked),
// for tests that build dist/ or run npm start without touching the working tree's.
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

export function projectCopy(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'oplogs-copy-'));
  for (const path of ['src', 'scripts', 'package.json', 'tsconfig.json', 'tsconfig.build.json'])
    cpSync(path, join(dir, path), { recursive: true });
  symlinkSync(resolve('node_modules'), join(dir, 'node_modules'), 'dir');
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A copy made before the tests of the calling file and removed after them; the function gives its folder. */
export function useProjectCopy(): () => string {
  let copy: ReturnType<typeof projectCopy> | undefined;
  beforeAll(() => {
    copy = projectCopy();
  });
  afterAll(() => copy?.remove());
  return () => copy!.dir;
}
