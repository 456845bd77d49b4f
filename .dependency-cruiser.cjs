// The layering of src/ (docs/layering.md): data flows one way, from the HTTP edge down to the
// upstream client, and no module reaches back up. `npm test` runs it (npm run depcruise).
/** From the top down; a layer may import its own and any layer below it, never one above. */
const LAYERS = [
  ['main', '^src/main\\.ts$'],
  ['app', '^src/(app|config)\\.ts$'],
  [
    'edge (transports, security, observability)',
    '^src/(webSocket\\.ts|answerAsHttp\\.ts|shutdown\\.ts|graphiql/|security/|observability/)',
  ],
  ['schema', '^src/schema/'],
  ['loaders', '^src/loaders/'],
  ['live', '^src/live/'],
  ['cluster', '^src/cluster/'],
  ['scope', '^src/scope/'],
  ['upstream', '^src/upstream/'],
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'An import circle, type-only imports included: break it by giving the lower module an interface it owns.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    ...LAYERS.slice(1).map(([name, path], index) => ({
      name: `no-upward-from-${name.split(' ')[0]}`,
      severity: 'error',
      comment: `${name} imports a layer above it (${LAYERS.slice(0, index + 1)
        .map(([above]) => above)
        .join(', ')})`,
      from: { path },
      to: { path: LAYERS.slice(0, index + 1).map(([, above]) => above) },
    })),
    {
      name: 'simulator-apart',
      severity: 'error',
      comment:
        'The simulator stands for MetaStudio: only main.ts starts it, and it shares nothing of ours but the signer.',
      from: { path: '^src/simulator/' },
      to: { path: '^src/', pathNot: ['^src/simulator/', '^src/upstream/signer\\.ts$'] },
    },
    {
      name: 'simulator-only-from-main',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/simulator/', '^src/main\\.ts$'] },
      to: { path: '^src/simulator/' },
    },
    {
      name: 'no-test-helpers-in-src',
      severity: 'error',
      comment: 'Test helpers (test/) are for tests; the server never imports them.',
      from: { path: '^src/' },
      to: { path: '^test/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    includeOnly: '^(src|test)/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'node', 'default'] },
  },
};
