import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/**
 * Lint rules that hold the architecture in place:
 * - module boundaries by Nx tags (DESIGN.md's dependency rule);
 * - stdout belongs to the stdio transport: no console output in libraries or the stdio app;
 * - libraries take configuration from the app, never from process.env;
 * - only libs/mcp-tools and the apps import the MCP SDK.
 */
const sdkImports = {
  group: ['@modelcontextprotocol/*'],
  message: 'Only libs/mcp-tools and the apps import the MCP SDK.',
};

/**
 * Module boundaries by tag. `extraAllow` lists imports allowed beyond the tags (integration
 * tests may use the engines and the demo estate of @tfo/datasources to prepare real data).
 */
function moduleBoundaries(extraAllow) {
  return [
    'error',
    {
      enforceBuildableLibDependency: false,
      // Test support shared by the integration and e2e tiers (engines for tests).
      allow: ['/tools/jest/engines\\.js$', ...extraAllow],
      depConstraints: [
        { sourceTag: 'scope:domain', onlyDependOnLibsWithTags: [] },
        { sourceTag: 'scope:datasources', onlyDependOnLibsWithTags: ['scope:domain'] },
        { sourceTag: 'scope:llm', onlyDependOnLibsWithTags: ['scope:domain'] },
        { sourceTag: 'scope:prompt', onlyDependOnLibsWithTags: ['scope:domain'] },
        { sourceTag: 'scope:collector', onlyDependOnLibsWithTags: ['scope:domain'] },
        // The configuration names the providers' variables from the provider catalog.
        { sourceTag: 'scope:runtime', onlyDependOnLibsWithTags: ['scope:domain', 'scope:llm'] },
        {
          sourceTag: 'scope:mcp-tools',
          onlyDependOnLibsWithTags: [
            'scope:domain',
            'scope:datasources',
            'scope:llm',
            'scope:prompt',
            'scope:collector',
          ],
        },
        {
          sourceTag: 'scope:app-shell',
          onlyDependOnLibsWithTags: [
            'scope:domain',
            'scope:datasources',
            'scope:llm',
            'scope:runtime',
            'scope:mcp-tools',
          ],
        },
        { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['scope:*'] },
        { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['scope:*', 'type:app'] },
      ],
    },
  ];
}

/** No console, and stdout only where `message` says, in the given source files (specs excepted). */
function quietStdout(files, message) {
  return {
    files,
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-console': 'error',
      'no-restricted-properties': ['error', { object: 'process', property: 'stdout', message }],
    },
  };
}

export default [
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.nx/**', '**/coverage/**', 'tmp/**'] },
  ...nx.configs['flat/base'],
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@nx/enforce-module-boundaries': moduleBoundaries([]),
    },
  },
  {
    files: ['libs/*/test/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': moduleBoundaries(['^@tfo/datasources$']) },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  quietStdout(
    ['libs/**/src/**/*.ts', 'apps/mcp-stdio/src/**/*.ts'],
    "stdout is the stdio transport's alone; log through the logger (stderr).",
  ),
  quietStdout(
    ['apps/mcp-http/src/**/*.ts'],
    'stdout carries only CLI answers and the start-up banner, through cli-output.ts; log through the logger.',
  ),
  {
    files: ['libs/**/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'stdout',
          message: "stdout is the stdio transport's alone; log through the logger (stderr).",
        },
        {
          object: 'process',
          property: 'env',
          message: 'Libraries take configuration from the app, never from process.env.',
        },
      ],
    },
  },
  {
    files: ['libs/**/*.ts'],
    ignores: ['libs/mcp-tools/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [sdkImports] }] },
  },
];
