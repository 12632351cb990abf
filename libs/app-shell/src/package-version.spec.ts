import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { packageVersion } from './package-version.js';

const LIBRARY = join(process.cwd(), 'libs', 'app-shell');

describe('packageVersion', () => {
  it('reads the version of the package.json beside the source folder of a module', () => {
    const declared = (JSON.parse(readFileSync(join(LIBRARY, 'package.json'), 'utf8')) as { version: string })
      .version;
    expect(packageVersion(pathToFileURL(join(LIBRARY, 'src', 'index.ts')).href)).toBe(declared);
  });

  it('reads another package.json when told where it is', () => {
    const root = (
      JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { version: string }
    ).version;
    expect(
      packageVersion(pathToFileURL(join(LIBRARY, 'src', 'index.ts')).href, '../../../package.json'),
    ).toBe(root);
  });
});
