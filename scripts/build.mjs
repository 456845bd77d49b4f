// `npm run build`: type-checks src/ with tsc, then bundles it into dist/ with
// esbuild, and stamps dist/ so that `npm start` can tell whether it is older
// than the sources. One bundle per entry (dist/main.js, dist/simulator/main.js)
// plus the chunks they load lazily, dependencies included: a start then reads a
// few files instead of resolving and loading over a thousand modules, which took
// most of a cold start (0.9 s unbundled, 0.35 s bundled, to listening). Plain
// JavaScript: it must run where only node and the dev dependencies are installed.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { decode, encode } from '@jridgewell/sourcemap-codec';
import { build as bundle } from 'esbuild';

const STAMP = join('dist', '.built');
/** Besides src/, what changes the output. */
const INPUTS = ['tsconfig.json', 'tsconfig.build.json', 'package.json'];

/**
 * Loaded from node_modules rather than bundled: pino and pino-pretty (their
 * worker threads load files by path), OpenTelemetry and the bundled GraphiQL
 * (large, and loaded only when tracing or GraphiQL is on), and the native
 * helpers ws tries to load when they are installed.
 */
const EXTERNAL = [
  'pino',
  'pino-pretty',
  '@opentelemetry/*',
  '@graphql-yoga/render-graphiql',
  'bufferutil',
  'utf-8-validate',
];

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

export async function build() {
  // From scratch, so a deleted source leaves no stale chunk behind.
  rmSync('dist', { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  await bundle({
    entryPoints: { main: 'src/main.ts', 'simulator/main': 'src/simulator/main.ts' },
    outdir: 'dist',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: EXTERNAL,
    // CommonJS dependencies inside an ES module bundle still call require().
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    sourcemap: true,
    sourcesContent: false,
    logLevel: 'warning',
  });
  for (const file of readdirSync('dist', { recursive: true, encoding: 'utf8' }))
    if (file.endsWith('.map')) keepOwnSources(join('dist', file));
  writeFileSync(STAMP, '');
}

/**
 * Keeps only the mappings of our own sources in a bundle's source map. With
 * every dependency mapped too, the first stack trace node formats (undici
 * reads one whenever a socket closes) decodes millions of mappings: 160 MB of
 * RSS and CPU for nothing, since the dependencies' lines were never mapped
 * when they were loaded from node_modules either.
 */
function keepOwnSources(mapFile) {
  const map = JSON.parse(readFileSync(mapFile, 'utf8'));
  const sources = [];
  const sourceIndex = map.sources.map((source) => (source.includes('node_modules/') ? -1 : sources.push(source) - 1));
  const names = [];
  const nameIndex = new Map();
  const keptName = (i) => {
    if (!nameIndex.has(i)) nameIndex.set(i, names.push(map.names[i]) - 1);
    return nameIndex.get(i);
  };
  const mappings = decode(map.mappings).map((line) =>
    line.flatMap((segment) => {
      if (segment.length === 1 || sourceIndex[segment[1]] < 0) return [];
      const [column, source, sourceLine, sourceColumn, name] = segment;
      return [
        name === undefined
          ? [column, sourceIndex[source], sourceLine, sourceColumn]
          : [column, sourceIndex[source], sourceLine, sourceColumn, keptName(name)],
      ];
    }),
  );
  writeFileSync(mapFile, JSON.stringify({ ...map, sources, names, mappings: encode(mappings) }));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await build();
