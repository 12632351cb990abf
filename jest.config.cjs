/**
 * Three test tiers, one runner.
 * - unit: colocated `*.spec.ts` beside the code, no engines, no processes.
 * - integration: `test/**\/*.int.test.ts` in a library, against real engines.
 * - e2e: `test/**\/*.e2e.test.ts` in an app or tool, against the built output.
 * Sources are TypeScript compiled by ts-jest with decorator metadata (tsyringe needs it).
 */
// ts-jest in transpile-only mode: fast, and it emits decorator metadata (tsyringe needs it).
// Type checking is `npm run typecheck`'s job.
const tsJest = [
  'ts-jest',
  { tsconfig: '<rootDir>/tsconfig.jest.json', isolatedModules: true, diagnostics: false },
];

// ESM-only dependencies that jest's CommonJS runtime cannot load as they are: compiled like our sources.
const ESM_ONLY = ['@mistralai/mistralai'];
const tsJestForJs = [
  'ts-jest',
  { tsconfig: '<rootDir>/tsconfig.jest-js.json', isolatedModules: true, diagnostics: false },
];

const shared = {
  transform: {
    '^.+\\.ts$': tsJest,
    [`^.+/node_modules/(${ESM_ONLY.join('|')})/.+\\.js$`]: tsJestForJs,
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // ESM-only and not compilable by ts-jest (its error classes break): loaded by Node itself.
    '^jose$': '<rootDir>/tools/jest/jose.cjs',
  },
  testEnvironment: 'node',
  // Workspace packages resolve to their TypeScript source through this condition.
  testEnvironmentOptions: { customExportConditions: ['@tfo/source', 'node', 'require', 'default'] },
  setupFiles: ['<rootDir>/tools/jest/setup.cjs'],
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
};

module.exports = {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/libs/*/src/**/*.spec.ts', '<rootDir>/apps/*/src/**/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/libs/*/test/**/*.int.test.ts'],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/apps/*/test/**/*.e2e.test.ts', '<rootDir>/tools/*/test/**/*.e2e.test.ts'],
    },
  ],
};
