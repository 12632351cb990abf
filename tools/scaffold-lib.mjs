// Creates the files every workspace library shares: package.json, tsconfigs.
// Usage: node tools/scaffold-lib.mjs <dir> <package-name> <tag> "<description>" [private]
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const [dir, name, tag, description, priv] = process.argv.slice(2);
if (!dir || !name || !tag || !description)
  throw new Error('usage: scaffold-lib <dir> <name> <tag> <description> [private]');
mkdirSync(join(dir, 'src'), { recursive: true });
const pkg = {
  name,
  version: '0.1.0',
  description,
  license: 'Apache-2.0',
  ...(priv ? { private: true } : {}),
  type: 'module',
  main: './dist/index.js',
  types: './dist/index.d.ts',
  exports: {
    '.': {
      '@tfo/source': './src/index.ts',
      types: './dist/index.d.ts',
      import: './dist/index.js',
      default: './dist/index.js',
    },
    './package.json': './package.json',
  },
  files: [
    'dist',
    'src',
    '!**/*.spec.ts',
    '!**/*.spec.js',
    '!**/*.spec.d.ts',
    '!**/*.tsbuildinfo',
    '!**/*.map',
  ],
  sideEffects: false,
  engines: { node: '>=20.19' },
  scripts: {
    build: 'tsc -b tsconfig.lib.json',
    typecheck: 'tsc -p tsconfig.spec.json --noEmit',
  },
  ...(priv ? {} : { publishConfig: { access: 'public' } }),
  nx: { tags: [tag] },
  dependencies: {},
};
const w = (f, o) =>
  existsSync(join(dir, f)) || writeFileSync(join(dir, f), JSON.stringify(o, null, 2) + '\n');
w('package.json', pkg);
w('tsconfig.json', {
  extends: '../../tsconfig.base.json',
  files: [],
  references: [{ path: './tsconfig.lib.json' }, { path: './tsconfig.spec.json' }],
});
w('tsconfig.lib.json', {
  extends: '../../tsconfig.base.json',
  compilerOptions: { rootDir: 'src', outDir: 'dist', tsBuildInfoFile: 'dist/tsconfig.lib.tsbuildinfo' },
  include: ['src/**/*.ts'],
  exclude: ['src/**/*.spec.ts'],
  references: [],
});
w('tsconfig.spec.json', {
  extends: '../../tsconfig.base.json',
  compilerOptions: { composite: false, declaration: false, declarationMap: false, noEmit: true },
  include: ['src/**/*.ts', 'test/**/*.ts'],
});
