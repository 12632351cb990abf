/**
 * The version of an app, read from its own `package.json` next to the built module, so the
 * version printed by `--version`, shown by `info` and announced at the handshake is the one the
 * package declares.
 */
import { createRequire } from 'node:module';

/**
 * The `version` of the `package.json` found at `relativePath` from the module at `moduleUrl`
 * (the caller's `import.meta.url`; `../package.json` suits a module in `src/` or `dist/`).
 */
export function packageVersion(moduleUrl: string, relativePath = '../package.json'): string {
  const require = createRequire(moduleUrl);
  return (require(relativePath) as { version: string }).version;
}
