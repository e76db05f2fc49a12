// The architecture's rules as a check that `npm test` runs (scripts/check-architecture.mjs), so that they hold
// without anyone remembering them. Each rule quotes the invariant of docs/ARCHITECTURE.md it enforces.
const feature = '^packages/server/src/([^/]+)/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles in any package: a module that needs what needs it has two jobs or one in the wrong place.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'kysely-only-in-repositories',
      severity: 'error',
      comment: 'Invariant 2: only *.repository.ts files, db/ and migrations touch Kysely query builders (types of a handle may pass through).',
      from: { path: '^packages/server/src/', pathNot: ['\\.repository\\.ts$', '^packages/server/src/db/'] },
      to: { path: 'node_modules/kysely/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'repositories-import-no-services',
      severity: 'error',
      comment: 'Invariant 2 and the layering: a repository holds queries only, so it never calls up into a service.',
      from: { path: '\\.repository\\.ts$' },
      to: { path: '\\.service\\.ts$' },
    },
    {
      name: 'no-reading-another-features-tables',
      severity: 'error',
      comment: "A feature reads another feature's data through that feature's service or an access module named for it, never through its repository: the owner keeps its invariants (membership, labels, clearance) in one place.",
      from: { path: feature },
      to: { path: '^packages/server/src/[^/]+/[^/]+\\.repository\\.ts$', pathNot: '^packages/server/src/$1/' },
    },
    {
      name: 'ws-only-at-the-socket-edge',
      severity: 'error',
      comment: 'Invariant 4: only stream.routes.ts and stream-connection.ts use ws; everything else hands them ready frames.',
      from: { path: '^packages/server/src/', pathNot: '^packages/server/src/stream/(stream\\.routes|stream-connection)\\.ts$' },
      to: { path: 'node_modules/ws/' },
    },
    {
      name: 'the-log-never-calls-the-socket-edge',
      severity: 'error',
      comment: 'The write path runs one way: the socket edge (stream/) calls the services, which write to the log (events/); the log hands events back only through HubSubscriber.',
      from: { path: '^packages/server/src/events/' },
      to: { path: '^packages/server/src/stream/' },
    },
    {
      name: 'web-never-imports-server',
      severity: 'error',
      comment: 'Invariant 10: web never imports server (its browser tests may start one).',
      from: { path: '^packages/web/src/' },
      to: { path: '^packages/(server|cli)/' },
    },
    {
      name: 'protocol-imports-nothing-of-ours',
      severity: 'error',
      comment: 'Invariant 10: protocol imports nothing of ours; it is the wire truth everything else depends on.',
      from: { path: '^packages/protocol/' },
      to: { path: '^(packages/(?!protocol/)|bench/)' },
    },
    {
      name: 'sdk-imports-only-protocol',
      severity: 'error',
      comment: 'Invariant 1: the SDK speaks the wire through protocol only, so every client shares one truth.',
      from: { path: '^packages/sdk/' },
      to: { path: '^packages/(server|cli|web)/|^bench/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^packages/[^/]+/dist(-builds)?/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
