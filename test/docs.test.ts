// The docs stay true to the repository: every relative link and #anchor in
// README.md and docs/*.md resolves, and docs/configuration.md lists every
// setting src/config.ts accepts (and no other).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { acceptedSettings } from './support/acceptedSettings.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DOCS = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** The lines of a Markdown text outside fenced code blocks. */
function proseLines(markdown: string): string[] {
  const lines: string[] = [];
  let fence: string | null = null;
  for (const line of markdown.split('\n')) {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && (fence === null || (marker[0] === fence[0] && marker.length >= fence.length))) {
      fence = fence === null ? marker : null;
      continue;
    }
    if (fence === null) lines.push(line);
  }
  return lines;
}

/** GitHub's heading ids: rendered text, lower-cased, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of proseLines(markdown)) {
    for (const [, id] of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(id!);
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const text = heading
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/<[^>]+>/g, '')
      .replace(/`/g, '');
    const slug = text
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\s_-]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** Link targets of a Markdown text: inline links and images, reference definitions, HTML src/href. */
function linksOf(markdown: string): string[] {
  const targets: string[] = [];
  for (const line of proseLines(markdown)) {
    const text = line.replace(/(`+)[^`]*?\1/g, '');
    for (const [, target] of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) targets.push(target!);
    for (const [, target] of text.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/g)) targets.push(target!);
    for (const [, target] of text.matchAll(/\s(?:src|href)="([^"]+)"/g)) targets.push(target!);
  }
  return targets;
}

/** What is wrong with each relative link of `files` (paths from the repository root), as "file: target (why)". */
function brokenLinks(
  files: readonly string[],
  read: (path: string) => string,
  exists: (path: string) => boolean,
): string[] {
  const problems: string[] = [];
  for (const file of files) {
    for (const target of linksOf(read(file))) {
      // Absolute URLs (http:, mailto:, ...) are not this check's to follow.
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) continue;
      const [rawPath = '', anchor] = target.split('#', 2);
      const path =
        rawPath === '' ? file : posix.normalize(posix.join(posix.dirname(file), decodeURIComponent(rawPath)));
      if (path.startsWith('../') || path === '..') {
        problems.push(`${file}: ${target} (outside the repository)`);
      } else if (!exists(path)) {
        problems.push(`${file}: ${target} (no such file)`);
      } else if (anchor !== undefined) {
        if (!path.endsWith('.md')) problems.push(`${file}: ${target} (an anchor into a file that is not Markdown)`);
        else if (!anchorsOf(read(path)).has(anchor)) problems.push(`${file}: ${target} (no such heading)`);
      }
    }
  }
  return problems;
}

/** Settings named in the first column of the `| variable | ... |` table of a configuration page. */
function tabledSettings(markdown: string): Set<string> {
  const names = new Set<string>();
  let inTable = false;
  for (const line of proseLines(markdown)) {
    if (/^\|\s*variable\s*\|/.test(line)) inTable = true;
    else if (!line.startsWith('|')) inTable = false;
    else if (inTable) for (const [, name] of line.split('|')[1]!.matchAll(/`([A-Z][A-Z0-9_]*)`/g)) names.add(name!);
  }
  return names;
}

/** Settings `accepted` that the page's settings table does not name in its first column. */
function missingSettings(markdown: string, accepted: readonly string[]): string[] {
  const tabled = tabledSettings(markdown);
  return accepted.filter((name) => !tabled.has(name));
}

const readRepo = (path: string) => readFileSync(join(ROOT, path), 'utf8');

describe('the docs', () => {
  it('have no broken relative link or anchor in README.md and docs/*.md', () => {
    expect(DOCS).toContain('docs/configuration.md');
    expect(brokenLinks(DOCS, readRepo, (path) => existsSync(join(ROOT, path)))).toEqual([]);
  });

  it('list every setting config.ts accepts, aliases included, in docs/configuration.md', () => {
    const accepted = acceptedSettings();
    // The probe must see the schema's keys and the aliases, or this check would pass on nothing.
    const probes = ['PORT', 'UPSTREAM_TIMEOUT_MS', 'AUTH_MODE', 'LOG_LEVEL', 'HUAWEICLOUD_SDK_AK'];
    expect(accepted).toEqual(expect.arrayContaining(probes));
    expect(missingSettings(readRepo('docs/configuration.md'), accepted)).toEqual([]);
  });

  it('list no setting in the configuration table that config.ts does not accept', () => {
    const accepted = new Set(acceptedSettings());
    const tabled = [...tabledSettings(readRepo('docs/configuration.md'))];
    expect(tabled.length).toBeGreaterThan(30);
    expect(tabled.filter((name) => !accepted.has(name))).toEqual([]);
  });

  it('keep the README a front door of at most about 200 lines', () => {
    expect(readRepo('README.md').split('\n').length).toBeLessThanOrEqual(210);
  });
});

describe('the docs checks', () => {
  const pages: Record<string, string> = {
    'docs/a.md': [
      '# Getting `started`: now!',
      '## Getting started now',
      '## Getting started now',
      '[ok](#getting-started-now-2) [ok](b.md#the-end) [ok](../README.md) [ok](https://example.com/x#y)',
      '[bad anchor](#getting-started-now-3) [bad file](c.md) [bad heading](b.md#middle) [`out`](../../x.md)',
      'Not a link: `[x](missing.md)`',
      '```md',
      '[inside a fence](missing.md)',
      '# Not a heading',
      '```',
    ].join('\n'),
    'docs/b.md': '## The end',
    'README.md': '',
  };
  const read = (path: string) => pages[path] ?? '';
  const exists = (path: string) => path in pages;

  it('number repeated headings and ignore fenced code', () => {
    const anchors = ['getting-started-now', 'getting-started-now-1', 'getting-started-now-2'];
    expect(anchorsOf(pages['docs/a.md']!)).toEqual(new Set(anchors));
  });

  it('report a missing file, a missing heading and a link out of the repository, and nothing else', () => {
    expect(brokenLinks(['docs/a.md'], read, exists)).toEqual([
      'docs/a.md: #getting-started-now-3 (no such heading)',
      'docs/a.md: c.md (no such file)',
      'docs/a.md: b.md#middle (no such heading)',
      'docs/a.md: ../../x.md (outside the repository)',
    ]);
  });

  it('report a setting missing from the table', () => {
    const page = '| variable | default |\n| --- | --- |\n| `PORT` | `4000` |\n\nOutside the table: `HOST`.';
    expect(missingSettings(page, ['PORT', 'HOST'])).toEqual(['HOST']);
    expect([...tabledSettings(page)]).toEqual(['PORT']);
  });

  it('report a setting named only in another row, or in another table, as missing', () => {
    const page = [
      '| variable | default | meaning |',
      '| --- | --- | --- |',
      '| `PORT` | `4000` | the port; see also `HOST` |',
      '',
      '| command | settings |',
      '| --- | --- |',
      '| `npm run x` | `REDIS_URL` |',
    ].join('\n');
    expect(missingSettings(page, ['PORT', 'HOST', 'REDIS_URL'])).toEqual(['HOST', 'REDIS_URL']);
  });
});
