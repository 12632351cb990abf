import { describe, expect, it } from '@jest/globals';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  statSync,
  symlinkSync,
  writeFileSync,
  lstatSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PermissionDeniedError } from '@tfo/domain';
import { CommandRunner } from './commands/command-runner.js';
import { FileService } from './files/file-service.js';
import { PathGuard } from './files/path-guard.js';
import { describeError } from './server/error-boundary.js';

const base = realpathSync(mkdtempSync(join(tmpdir(), 'tfo-regress-')));
const root = join(base, 'root');
const outside = join(base, 'outside');
mkdirSync(root);
mkdirSync(outside);
const runner = (allow: string[]) =>
  new CommandRunner({ allow, timeoutMs: 5000, maxOutputBytes: 65536, childEnv: { PATH: '/usr/bin:/bin' } });

/** Regressions: each case once let a confinement, cancellation or mode rule slip. */
describe('regressions', () => {
  it('B3 runner: an already-aborted signal stops the program', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      runner(['sleep']).run('sleep', ['5'], { cwd: base, timeoutMs: 1000, signal: controller.signal }),
    ).rejects.toThrow(/cancelled before the command started/);
  });

  it('B4 runner: the timeout stops programs the child started too', async () => {
    const outcome = await runner(['sh']).run('sh', ['-c', '(sleep 1; echo late) & exec sleep 10'], {
      cwd: base,
      timeoutMs: 300,
    });
    expect(outcome.timedOut).toBe(true);
    expect(outcome.stdout).not.toContain('late');
  });

  it('B5 guard: a symlink loop outside the roots is denied like any outside path', async () => {
    symlinkSync('loop', join(outside, 'loop'));
    const guard = new PathGuard([root]);
    const error = await guard.resolve(join(outside, 'loop'), { mustExist: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermissionDeniedError);
  });

  it('B6 write: preserves a group-writable mode', async () => {
    const target = join(root, 'shared.txt');
    writeFileSync(target, 'before');
    chmodSync(target, 0o664);
    const svc = new FileService(new PathGuard([root]), {
      maxReadBytes: 100,
      maxWriteBytes: 100,
      writeEnabled: true,
      maxSearchResults: 10,
      maxListEntries: 10,
    });
    await svc.write(target, Buffer.from('after'), { createDirs: false });
    expect(statSync(target).mode & 0o777).toBe(0o664);
  });

  it('B7 describeError: an errno named like an Object.prototype member is INTERNAL', () => {
    expect(describeError(Object.assign(new Error('x'), { code: 'constructor' }), 'r')).toMatchObject({
      code: 'INTERNAL',
    });
  });

  it('B8 write: onto a dangling symlink', async () => {
    symlinkSync(join(root, 'not-yet.txt'), join(root, 'dangling.txt'));
    const svc = new FileService(new PathGuard([root]), {
      maxReadBytes: 100,
      maxWriteBytes: 100,
      writeEnabled: true,
      maxSearchResults: 10,
      maxListEntries: 10,
    });
    const written = await svc.write('dangling.txt', Buffer.from('x'), { createDirs: false });
    expect(written.created).toBe(true);
    expect(lstatSync(join(root, 'dangling.txt')).isSymbolicLink()).toBe(false);
    expect(statSync(written.path).mode & 0o111).toBe(0);
  });
});
