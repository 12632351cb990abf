// Records platform-specific optional dependencies that the package registry in use
// cannot serve (only some platform builds are mirrored) as lockfile entries for their
// platform, so that `npm ci` validates the lockfile. npm never fetches an optional
// package whose `os`/`cpu` do not match the machine; on a machine that matches, it is
// fetched by name and version from the registry as usual.
// Usage: node tools/lockfile/complete-optional.mjs   (after any `npm install`)
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const present = new Set(Object.keys(lock.packages).map((k) => k.replace(/^.*node_modules\//, '')));

function platformOf(name) {
  const os = ['darwin', 'linux', 'win32', 'freebsd', 'android', 'openharmony', 'sunos', 'aix'].find((o) =>
    name.includes(o),
  );
  const cpu = ['arm64', 'x64', 'ia32', 'arm', 'ppc64', 's390x', 'riscv64', 'loong64', 'wasm32'].find((c) =>
    new RegExp(`[-_]${c}([-_]|$)`).test(name),
  );
  return os && cpu ? { os, cpu } : undefined;
}

let added = 0;
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    if (present.has(dep)) continue;
    const platform = platformOf(dep);
    if (!platform) throw new Error(`${dep} (optional for ${path}) is missing and its platform is unknown`);
    const at = `${path}/node_modules/${dep}`.replace(/^\//, '');
    lock.packages[at.startsWith('node_modules/') ? `node_modules/${dep}` : at] = {
      version,
      optional: true,
      os: [platform.os],
      cpu: [platform.cpu],
    };
    present.add(dep);
    added++;
  }
}
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
process.stderr.write(`complete-optional: added ${added} platform entries\n`);
