import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotFoundError, PermissionDeniedError, ValidationError } from '@tfo/domain';
import { isWithin, PathGuard } from './path-guard.js';

/** Runs `action` and returns what it rejected with; fails when it resolves. */
async function rejection(action: () => Promise<unknown>): Promise<Error> {
  try {
    await action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('isWithin', () => {
  it('accepts the directory itself and anything beneath it', () => {
    expect(isWithin('/a/b', '/a/b')).toBe(true);
    expect(isWithin('/a/b', '/a/b/c')).toBe(true);
    expect(isWithin('/a/b', '/a/b/c/d.txt')).toBe(true);
    expect(isWithin('/', '/anything/at/all')).toBe(true);
  });

  it('decides by path relation, not by string prefix', () => {
    expect(isWithin('/a/b', '/a/bc')).toBe(false);
    expect(isWithin('/a/b', '/a/b2/c')).toBe(false);
    expect(isWithin('/a/b', '/a')).toBe(false);
    expect(isWithin('/a/b', '/x/y')).toBe(false);
  });

  it('sees through .. segments', () => {
    expect(isWithin('/a/b', '/a/b/../c')).toBe(false);
    expect(isWithin('/a/b', '/a/b/c/../../b/d')).toBe(true);
    expect(isWithin('/a/b', '/a/b/c/..')).toBe(true);
  });

  it('treats a name that merely starts with two dots as a child', () => {
    expect(isWithin('/a/b', '/a/b/..hidden')).toBe(true);
    expect(isWithin('/a/b', '/a/b/...')).toBe(true);
  });

  it('resolves relative inputs against the working directory', () => {
    expect(isWithin('a', 'a/b')).toBe(true);
    expect(isWithin('a', 'a')).toBe(true);
    expect(isWithin('a', 'ab')).toBe(false);
    expect(isWithin('a/b', 'a')).toBe(false);
    expect(isWithin(process.cwd(), 'x/y')).toBe(true);
  });
});

describe('PathGuard.resolve', () => {
  let base: string;
  let root: string;
  let second: string;
  let sibling: string;
  let outside: string;
  let guard: PathGuard;

  beforeAll(() => {
    base = realpathSync(mkdtempSync(join(tmpdir(), 'tfo-path-guard-')));
    root = join(base, 'root');
    second = join(base, 'second');
    sibling = join(base, 'root-sibling');
    outside = join(base, 'outside');
    for (const dir of [root, second, sibling, outside, join(root, 'sub'), join(root, 'sub', 'deep')]) {
      mkdirSync(dir, { recursive: true });
    }
    writeFileSync(join(root, 'hello.txt'), 'hello');
    writeFileSync(join(root, 'sub', 'notes.md'), '# notes');
    writeFileSync(join(second, 'other.txt'), 'other');
    writeFileSync(join(sibling, 'secret.txt'), 'sibling secret');
    writeFileSync(join(outside, 'secret.txt'), 'outside secret');
    symlinkSync(join(outside, 'secret.txt'), join(root, 'escape.txt'));
    symlinkSync(outside, join(root, 'escape-dir'));
    symlinkSync(join(root, 'sub', 'notes.md'), join(root, 'alias.md'));
    symlinkSync(join(root, 'sub'), join(root, 'sub-alias'));
    guard = new PathGuard([root, second]);
  });

  afterAll(() => {
    rmSync(base, { recursive: true, force: true });
  });

  it('refuses to be built without a root', () => {
    expect(() => new PathGuard([])).toThrow(ValidationError);
  });

  it('exposes the configured roots as given', () => {
    expect(guard.allowedRoots).toEqual([root, second]);
  });

  it('resolves relative paths against the first root', async () => {
    await expect(guard.resolve('hello.txt', { mustExist: true })).resolves.toBe(join(root, 'hello.txt'));
    await expect(guard.resolve('./sub/notes.md', { mustExist: true })).resolves.toBe(
      join(root, 'sub', 'notes.md'),
    );
    await expect(guard.resolve('.', { mustExist: true })).resolves.toBe(root);
    await expect(guard.resolve('sub/deep/..', { mustExist: true })).resolves.toBe(join(root, 'sub'));
  });

  it('allows absolute paths inside any configured root', async () => {
    await expect(guard.resolve(join(root, 'hello.txt'), { mustExist: true })).resolves.toBe(
      join(root, 'hello.txt'),
    );
    await expect(guard.resolve(join(second, 'other.txt'), { mustExist: true })).resolves.toBe(
      join(second, 'other.txt'),
    );
    await expect(guard.resolve(second, { mustExist: true })).resolves.toBe(second);
  });

  it('does not resolve relative paths against the second root', async () => {
    const error = await rejection(() => guard.resolve('other.txt', { mustExist: true }));
    expect(error).toBeInstanceOf(NotFoundError);
  });

  it('denies .. escapes', async () => {
    for (const p of ['..', '../outside/secret.txt', 'sub/../../outside/secret.txt', '../root-sibling']) {
      const error = await rejection(() => guard.resolve(p, { mustExist: false }));
      expect(error).toBeInstanceOf(PermissionDeniedError);
    }
  });

  it('denies absolute paths outside the roots and says which roots are allowed', async () => {
    const requested = join(outside, 'secret.txt');
    const error = await rejection(() => guard.resolve(requested, { mustExist: true }));
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect((error as PermissionDeniedError).code).toBe('PERMISSION.DENIED');
    expect(error.message).toContain(`Access denied: "${requested}" is outside the allowed roots.`);
    expect(error.message).toContain(`Allowed roots: ${root}, ${second}`);
    expect((error as PermissionDeniedError).details).toEqual({
      path: requested,
      allowedRoots: [root, second],
    });
    expect((await rejection(() => guard.resolve('/', { mustExist: false }))).constructor).toBe(
      PermissionDeniedError,
    );
  });

  it('denies a sibling directory whose name starts with the root name', async () => {
    for (const p of [sibling, join(sibling, 'secret.txt'), join(sibling, 'new.txt')]) {
      const error = await rejection(() => guard.resolve(p, { mustExist: false }));
      expect(error).toBeInstanceOf(PermissionDeniedError);
    }
  });

  it('denies a symlinked file inside the root that points outside', async () => {
    for (const p of ['escape.txt', join(root, 'escape.txt')]) {
      const error = await rejection(() => guard.resolve(p, { mustExist: true }));
      expect(error).toBeInstanceOf(PermissionDeniedError);
    }
  });

  it('denies a symlinked directory inside the root that points outside', async () => {
    for (const p of ['escape-dir', 'escape-dir/secret.txt', join(root, 'escape-dir', 'secret.txt')]) {
      const error = await rejection(() => guard.resolve(p, { mustExist: true }));
      expect(error).toBeInstanceOf(PermissionDeniedError);
    }
  });

  it('denies a file that does not exist yet beneath an escaping symlinked directory', async () => {
    for (const p of ['escape-dir/new.txt', 'escape-dir/new/deeper/file.txt']) {
      const error = await rejection(() => guard.resolve(p, { mustExist: false }));
      expect(error).toBeInstanceOf(PermissionDeniedError);
    }
  });

  it('allows symlinks that stay inside the root and returns their real location', async () => {
    await expect(guard.resolve('alias.md', { mustExist: true })).resolves.toBe(join(root, 'sub', 'notes.md'));
    await expect(guard.resolve('sub-alias/notes.md', { mustExist: true })).resolves.toBe(
      join(root, 'sub', 'notes.md'),
    );
    await expect(guard.resolve('sub-alias/new.txt', { mustExist: false })).resolves.toBe(
      join(root, 'sub', 'new.txt'),
    );
  });

  it('returns the would-be location of a file that does not exist yet', async () => {
    await expect(guard.resolve('new.txt', { mustExist: false })).resolves.toBe(join(root, 'new.txt'));
    await expect(guard.resolve('a/b/c.txt', { mustExist: false })).resolves.toBe(
      join(root, 'a', 'b', 'c.txt'),
    );
  });

  it('works with a root that is itself reached through a symlink', async () => {
    const linkedRoot = join(base, 'linked-root');
    symlinkSync(root, linkedRoot);
    const viaLink = new PathGuard([linkedRoot]);
    await expect(viaLink.resolve('hello.txt', { mustExist: true })).resolves.toBe(join(root, 'hello.txt'));
    await expect(viaLink.resolve(join(linkedRoot, 'sub', 'notes.md'), { mustExist: true })).resolves.toBe(
      join(root, 'sub', 'notes.md'),
    );
    await expect(viaLink.resolve(join(root, 'hello.txt'), { mustExist: true })).resolves.toBe(
      join(root, 'hello.txt'),
    );
    await expect(viaLink.resolve('fresh.txt', { mustExist: false })).resolves.toBe(join(root, 'fresh.txt'));
    const error = await rejection(() => viaLink.resolve('escape.txt', { mustExist: true }));
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(error.message).toContain(`Allowed roots: ${linkedRoot}`);
  });

  it('refuses NUL bytes before touching the file system', async () => {
    for (const p of ['hello.txt\0', 'a\0b', `${outside}/\0secret.txt`]) {
      const error = await rejection(() => guard.resolve(p, { mustExist: false }));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.message).toContain('NUL byte');
    }
  });

  it('refuses an empty or blank path', async () => {
    for (const p of ['', '   ']) {
      const error = await rejection(() => guard.resolve(p, { mustExist: false }));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.message).toContain('A path is required');
    }
  });

  it('reports a missing file inside the roots as not found when it must exist', async () => {
    const error = await rejection(() => guard.resolve('missing.txt', { mustExist: true }));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toContain('"missing.txt"');
    expect(error.message).toContain('list_directory');
  });

  it('reports a missing file outside the roots as denied, never as not found', async () => {
    for (const p of [join(outside, 'missing.txt'), join(base, 'nowhere', 'missing.txt'), '../missing.txt']) {
      const error = await rejection(() => guard.resolve(p, { mustExist: true }));
      expect(error).toBeInstanceOf(PermissionDeniedError);
    }
    const existing = await rejection(() => guard.resolve(join(outside, 'secret.txt'), { mustExist: true }));
    const missing = await rejection(() => guard.resolve(join(outside, 'absent.txt'), { mustExist: true }));
    expect(existing.constructor).toBe(missing.constructor);
    expect(existing.message.replace('secret.txt', 'X')).toBe(missing.message.replace('absent.txt', 'X'));
  });

  describe('with client roots', () => {
    it('allows paths inside both the configured and the client roots', async () => {
      const clientRoots = [join(root, 'sub')];
      await expect(guard.resolve('sub/notes.md', { mustExist: true, clientRoots })).resolves.toBe(
        join(root, 'sub', 'notes.md'),
      );
      await expect(guard.resolve('sub/new.txt', { mustExist: false, clientRoots })).resolves.toBe(
        join(root, 'sub', 'new.txt'),
      );
    });

    it('denies paths inside the configured roots but outside the client roots, naming both', async () => {
      const clientRoots = [join(root, 'sub')];
      const error = await rejection(() => guard.resolve('hello.txt', { mustExist: true, clientRoots }));
      expect(error).toBeInstanceOf(PermissionDeniedError);
      expect(error.message).toContain(`${root}, ${second}`);
      expect(error.message).toContain(`the client's roots: ${join(root, 'sub')}`);
      expect((error as PermissionDeniedError).details).toEqual({
        path: 'hello.txt',
        allowedRoots: [root, second],
        clientRoots,
      });
    });

    it('denies paths inside the client roots but outside the configured roots', async () => {
      const error = await rejection(() =>
        guard.resolve(join(outside, 'secret.txt'), { mustExist: true, clientRoots: [outside] }),
      );
      expect(error).toBeInstanceOf(PermissionDeniedError);
    });

    it('resolves symlinks in the client roots too', async () => {
      await expect(
        guard.resolve('sub/notes.md', { mustExist: true, clientRoots: [join(root, 'sub-alias')] }),
      ).resolves.toBe(join(root, 'sub', 'notes.md'));
    });

    it('ignores an empty client root list', async () => {
      await expect(guard.resolve('hello.txt', { mustExist: true, clientRoots: [] })).resolves.toBe(
        join(root, 'hello.txt'),
      );
    });
  });
});
