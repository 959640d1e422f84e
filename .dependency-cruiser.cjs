// The architecture rules of docs/architecture.md, checked by `npm run lint` and CI.
// Modules stand on floors: a module imports only modules on lower floors, so no two modules import each other and a
// call walks down the house without climbing back. A new module gets a floor here, or the check fails.
const FLOORS = [
  ['staff', 'attempts', 'acquirer', 'idempotency'],
  ['access', 'notify', 'merchants'],
  ['audit', 'webhooks'],
  ['auth', 'terminals', 'refund-model', 'recipients'],
  ['refund-keys', 'settlements', 'demo', 'mfa'],
  ['authorization', 'sales', 'account', 'qr-login'],
  ['invitations', 'refunds', 'reports'],
  ['provisioning'],
  ['support', 'applications', 'announcements', 'tickets'],
  ['banks'],
];

const floorRules = FLOORS.flatMap((floor, i) =>
  floor.map((module) => {
    const notBelow = FLOORS.slice(i)
      .flat()
      .filter((m) => m !== module);
    return {
      name: `floor-${module}`,
      comment: `${module} (floor ${i + 1}) imports only modules on lower floors`,
      severity: 'error',
      from: { path: `^src/modules/${module}/` },
      to: { path: `^src/modules/(${notBelow.join('|')})/` },
    };
  }),
);

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'no file imports itself through others',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-circular-types',
      comment: 'type-only imports may not go round in circles either',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'module-has-a-floor',
      comment: 'every folder under src/modules has a floor in .dependency-cruiser.cjs',
      severity: 'error',
      from: { path: '^src/modules/' },
      to: { path: `^src/modules/(?!(${FLOORS.flat().join('|')})/)` },
    },
    ...floorRules,
    {
      name: 'module-through-its-index',
      comment:
        'a module imports another module only through its public index.ts ($1 is the importing module); its own ' +
        'files import each other directly. Not held to it: tests (*.test.ts, not cruised at all, may reach inner ' +
        'files to test them), and the row types the database schema sees (*.table.ts, *.types.ts): through an ' +
        "index they would pull the other module's services into src/db/schema.ts's types, which import it back",
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/', pathNot: '\\.(test|table|types)\\.ts$' },
      to: { path: '^src/modules/(?!$1/)[^/]+/(?!index\\.ts$)' },
    },
    {
      name: 'modules-below-the-app',
      comment: 'nothing in modules/ imports the HTTP server, the CLI or the composition root',
      severity: 'error',
      from: { path: '^src/modules/' },
      to: { path: '^src/(http/|cli/|main\\.ts$|compose\\.ts$|app-services\\.ts$|workers\\.ts$)' },
    },
    {
      name: 'lib-is-the-ground',
      comment: 'src/lib depends on nothing of the product',
      severity: 'error',
      from: { path: '^src/lib/' },
      to: { path: '^src/(modules|http|cli|db)/|^src/[^/]+\\.ts$' },
    },
    {
      name: 'db-knows-only-tables',
      comment: 'the database layer sees the modules only through their table types',
      severity: 'error',
      from: { path: '^src/db/' },
      to: { path: '^src/modules/', pathNot: '\\.table\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
