/**
 * Herald's architecture rules, checked in `npm test` by test/architecture.test.ts.
 *
 * The layers of src/, top to bottom. A layer may import the layers below it and never one
 * above; type-only imports count too. The three folders of the middle layer are peers that
 * do not import each other.
 */
const LAYERS = [
  { name: 'composition root', path: '^src/(main\\.ts|herald\\.ts|cli/)' },
  // The edges: HTTP, and broker ingestion (src/ingest/, one folder per broker). Peers.
  { name: 'edges (http, ingest)', path: '^src/(http|ingest)/' },
  { name: 'domain, dispatch, scheduler', path: '^src/(domain|dispatch|scheduler)/' },
  { name: 'deliveries', path: '^src/deliveries/' },
  { name: 'context', path: '^src/context/' },
  { name: 'templates', path: '^src/templates/' },
  { name: 'providers', path: '^src/providers/' },
  { name: 'channels', path: '^src/channels/' },
  { name: 'security', path: '^src/security/' },
  { name: 'storage', path: '^src/storage/' },
  {
    // Plain helpers (clock, errors, ids, logger, caches), configuration, and the delivery state
    // machine, which imports nothing so that storage/schema.ts can type its status columns with it.
    name: 'foundation',
    path: '^src/(config/|validation/|deliveries/delivery-status\\.ts$|(?!main\\.ts$|herald\\.ts$)[^/]+\\.ts$)',
  },
];

const PEERS = ['domain', 'dispatch', 'scheduler'];
const EDGES = ['http', 'ingest'];

/** Tests, and the loopback servers and conformance kit that provider tests run against. */
const TEST_SUPPORT = '\\.test\\.ts$|-test-server\\.ts$|^src/providers/conformance/';

const layerRules = LAYERS.map((layer, index) => {
  const above = LAYERS.slice(0, index);
  const ownOrBelow = LAYERS.slice(index);
  return {
    name: `layer: ${layer.name}`,
    comment: `${layer.name} may import only the layers below it`,
    severity: 'error',
    from: { path: layer.path, pathNot: [TEST_SUPPORT, ...LAYERS.slice(index + 1).map((lower) => lower.path)] },
    to: { path: above.map((higher) => higher.path), pathNot: ownOrBelow.map((lower) => lower.path) },
  };
}).filter((rule) => rule.to.path.length > 0);

const peerRules = PEERS.map((peer) => ({
  name: `peers: ${peer}`,
  comment: `${peer} does not import ${PEERS.filter((other) => other !== peer).join(' or ')}; what they share lives in src/deliveries or below`,
  severity: 'error',
  from: { path: `^src/${peer}/`, pathNot: TEST_SUPPORT },
  to: { path: PEERS.filter((other) => other !== peer).map((other) => `^src/${other}/`) },
}));

const edgeRules = EDGES.map((edge) => ({
  name: `edges: ${edge}`,
  comment: `${edge} does not import ${EDGES.filter((other) => other !== edge).join(' or ')}; what edges share lives in src/validation, src/problem.ts or below`,
  severity: 'error',
  from: { path: `^src/${edge}/`, pathNot: TEST_SUPPORT },
  to: { path: EDGES.filter((other) => other !== edge).map((other) => `^src/${other}/`) },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...layerRules,
    ...peerRules,
    ...edgeRules,
    {
      name: 'state machine is a leaf',
      comment: 'delivery-status.ts imports nothing, so every layer may use it',
      severity: 'error',
      from: { path: '^src/deliveries/delivery-status\\.ts$' },
      to: { path: '^src/' },
    },
    {
      name: 'no cycles',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'production code does not import tests',
      comment: 'src/ outside test support imports nothing from test/, bench/, tests or test servers',
      severity: 'error',
      from: { path: '^src/', pathNot: TEST_SUPPORT },
      to: { path: [`^(test|bench)/`, TEST_SUPPORT] },
    },
    {
      name: 'production code uses dependencies only',
      comment:
        'devDependencies (smtp-server, mailparser, aws4 ...) are for tests and test servers only: they are not installed in production',
      severity: 'error',
      from: { path: '^src/', pathNot: TEST_SUPPORT },
      to: { dependencyTypes: ['npm-dev'] },
    },
  ],
  options: {
    // Test files and node_modules are read, not followed: the rules are about src/.
    doNotFollow: { path: ['node_modules', '^(test|bench)/'] },
    tsConfig: { fileName: 'tsconfig.json' },
    // Type-only imports are dependencies too.
    tsPreCompilationDeps: true,
  },
};
