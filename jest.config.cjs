/**
 * Three test tiers, one runner.
 * - unit: colocated `*.spec.ts` beside the code, no engines, no processes.
 * - integration: `test/**\/*.int.test.ts` in a library, against real engines.
 * - e2e: `test/**\/*.e2e.test.ts` in an app or tool, against the built output.
 * Sources are TypeScript compiled by SWC with decorator metadata (tsyringe needs it).
 */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

const shared = {
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
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
