import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  chmodSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
  existsSync,
  lstatSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LimitExceededError, NotFoundError, PermissionDeniedError, ValidationError } from '@tfo/domain';
import { FileService, globToRegExp, type FileLimits } from './file-service.js';
import { PathGuard } from './path-guard.js';

const LIMITS: FileLimits = {
  maxReadBytes: 16,
  maxWriteBytes: 32,
  writeEnabled: true,
  maxSearchResults: 50,
  maxListEntries: 50,
};

async function rejection(action: () => Promise<unknown>): Promise<Error> {
  try {
    await action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('globToRegExp', () => {
  const matches = (glob: string, subject: string) => globToRegExp(glob).test(subject);

  it('matches * within one path segment', () => {
    expect(matches('*.ts', 'index.ts')).toBe(true);
    expect(matches('*.ts', '.ts')).toBe(true);
    expect(matches('*.ts', 'index.tsx')).toBe(false);
    expect(matches('*.ts', 'src/index.ts')).toBe(false);
    expect(matches('*.ts', 'index.ts.bak')).toBe(false);
  });

  it('matches **/ across any number of directories, including none', () => {
    expect(matches('**/*.md', 'README.md')).toBe(true);
    expect(matches('**/*.md', 'docs/README.md')).toBe(true);
    expect(matches('**/*.md', 'a/b/c/notes.md')).toBe(true);
    expect(matches('**/*.md', 'a/b/notes.txt')).toBe(false);
  });

  it('anchors a pattern with a directory prefix', () => {
    expect(matches('src/**/x.ts', 'src/x.ts')).toBe(true);
    expect(matches('src/**/x.ts', 'src/a/x.ts')).toBe(true);
    expect(matches('src/**/x.ts', 'src/a/b/x.ts')).toBe(true);
    expect(matches('src/**/x.ts', 'lib/src/x.ts')).toBe(false);
    expect(matches('src/**/x.ts', 'src/a/y.ts')).toBe(false);
    expect(matches('src/**/x.ts', 'srcx.ts')).toBe(false);
  });

  it('matches ** not followed by a slash across segments', () => {
    expect(matches('src/**', 'src/a/b/c.ts')).toBe(true);
    expect(matches('a**z', 'a/b/z')).toBe(true);
  });

  it('matches ? as exactly one character other than a slash', () => {
    expect(matches('file?.txt', 'file1.txt')).toBe(true);
    expect(matches('file?.txt', 'file.txt')).toBe(false);
    expect(matches('file?.txt', 'file12.txt')).toBe(false);
    expect(matches('a?b', 'a/b')).toBe(false);
  });

  it('matches {a,b} alternatives', () => {
    expect(matches('config.{yaml,yml}', 'config.yaml')).toBe(true);
    expect(matches('config.{yaml,yml}', 'config.yml')).toBe(true);
    expect(matches('config.{yaml,yml}', 'config.json')).toBe(false);
    expect(matches('*.{ts,js}', 'a.js')).toBe(true);
    expect(matches('{a.b,c+d}', 'a.b')).toBe(true);
    expect(matches('{a.b,c+d}', 'axb')).toBe(false);
    expect(matches('{a.b,c+d}', 'c+d')).toBe(true);
  });

  it('treats an unclosed brace literally', () => {
    expect(matches('a{b', 'a{b')).toBe(true);
    expect(matches('a{b', 'ab')).toBe(false);
  });

  it('treats regular-expression metacharacters literally', () => {
    expect(matches('a.b', 'a.b')).toBe(true);
    expect(matches('a.b', 'axb')).toBe(false);
    expect(matches('c++.txt', 'c++.txt')).toBe(true);
    expect(matches('c++.txt', 'ccc.txt')).toBe(false);
    expect(matches('f(1).txt', 'f(1).txt')).toBe(true);
    expect(matches('f(1).txt', 'f1.txt')).toBe(false);
    expect(matches('[ab].txt', '[ab].txt')).toBe(true);
    expect(matches('[ab].txt', 'a.txt')).toBe(false);
    expect(matches('$x^|y', '$x^|y')).toBe(true);
    expect(matches('$x^|y', 'y')).toBe(false);
    expect(matches('back\\slash', 'back\\slash')).toBe(true);
  });

  it('matches the whole subject', () => {
    expect(matches('a', 'a')).toBe(true);
    expect(matches('a', 'ba')).toBe(false);
    expect(matches('a', 'ab')).toBe(false);
  });
});

describe('FileService', () => {
  let base: string;
  let root: string;
  let outside: string;
  let service: FileService;

  const withLimits = (limits: Partial<FileLimits>, dir = root) =>
    new FileService(new PathGuard([dir]), { ...LIMITS, ...limits });

  beforeAll(() => {
    base = realpathSync(mkdtempSync(join(tmpdir(), 'tfo-file-service-')));
    root = join(base, 'root');
    outside = join(base, 'outside');
    mkdirSync(root);
    mkdirSync(outside);
    writeFileSync(join(outside, 'secret.txt'), 'outside secret');
    service = withLimits({});
  });

  afterAll(() => {
    rmSync(base, { recursive: true, force: true });
  });

  it('exposes the configured roots', () => {
    expect(service.roots).toEqual([root]);
  });

  describe('read', () => {
    beforeAll(() => {
      mkdirSync(join(root, 'read'));
      writeFileSync(join(root, 'read', 'at-limit.txt'), 'x'.repeat(16));
      writeFileSync(join(root, 'read', 'over-limit.txt'), 'x'.repeat(17));
      writeFileSync(join(root, 'read', 'empty.txt'), '');
      writeFileSync(join(root, 'read', 'bytes.bin'), Buffer.from([0, 1, 2, 255]));
    });

    it('reads a file of exactly the limit', async () => {
      const file = await service.read('read/at-limit.txt');
      expect(file.path).toBe(join(root, 'read', 'at-limit.txt'));
      expect(file.size).toBe(16);
      expect(file.data.toString('utf8')).toBe('x'.repeat(16));
    });

    it('reads empty and binary files byte for byte', async () => {
      const empty = await service.read('read/empty.txt');
      expect(empty.size).toBe(0);
      expect(empty.data.length).toBe(0);
      const binary = await service.read(join(root, 'read', 'bytes.bin'));
      expect([...binary.data]).toEqual([0, 1, 2, 255]);
    });

    it('refuses a file one byte over the limit, naming its size and the limit', async () => {
      const error = await rejection(() => service.read('read/over-limit.txt'));
      expect(error).toBeInstanceOf(LimitExceededError);
      expect(error.message).toContain('17 bytes');
      expect(error.message).toContain('read limit of 16 bytes');
      expect(error.message).toContain('files.maxReadBytes');
      expect((error as LimitExceededError).details).toEqual({ size: 17, limit: 16 });
    });

    it('refuses to read a directory', async () => {
      const error = await rejection(() => service.read('read'));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.message).toContain('is a directory');
      expect(error.message).toContain('list_directory');
    });

    it('reports missing files as not found and outside files as denied', async () => {
      expect(await rejection(() => service.read('read/missing.txt'))).toBeInstanceOf(NotFoundError);
      expect(await rejection(() => service.read(join(outside, 'secret.txt')))).toBeInstanceOf(
        PermissionDeniedError,
      );
    });

    it('applies client roots', async () => {
      const error = await rejection(() => service.read('read/at-limit.txt', [join(root, 'elsewhere')]));
      expect(error).toBeInstanceOf(PermissionDeniedError);
      await expect(service.read('read/at-limit.txt', [join(root, 'read')])).resolves.toMatchObject({
        size: 16,
      });
    });
  });

  describe('write', () => {
    beforeAll(() => {
      mkdirSync(join(root, 'write'));
    });

    it('creates a new file and reports it as created', async () => {
      const written = await service.write('write/new.txt', Buffer.from('hello'), { createDirs: false });
      expect(written).toEqual({ path: join(root, 'write', 'new.txt'), bytes: 5, created: true });
      expect(readFileSync(join(root, 'write', 'new.txt'), 'utf8')).toBe('hello');
      const mode = statSync(join(root, 'write', 'new.txt')).mode & 0o777;
      expect(mode & 0o600).toBe(0o600);
      expect(mode & 0o111).toBe(0);
    });

    it('accepts content of exactly the write limit', async () => {
      const written = await service.write('write/at-limit.txt', Buffer.alloc(32, 'y'), { createDirs: false });
      expect(written.bytes).toBe(32);
      expect(readFileSync(join(root, 'write', 'at-limit.txt'), 'utf8')).toBe('y'.repeat(32));
    });

    it('refuses content one byte over the write limit, naming its size and the limit', async () => {
      const error = await rejection(() =>
        service.write('write/over-limit.txt', Buffer.alloc(33, 'y'), { createDirs: false }),
      );
      expect(error).toBeInstanceOf(LimitExceededError);
      expect(error.message).toContain('33 bytes');
      expect(error.message).toContain('write limit of 32 bytes');
      expect(error.message).toContain('files.maxWriteBytes');
      expect((error as LimitExceededError).details).toEqual({ size: 33, limit: 32 });
      expect(existsSync(join(root, 'write', 'over-limit.txt'))).toBe(false);
    });

    it('refuses every write when writing is disabled', async () => {
      const readOnly = withLimits({ writeEnabled: false });
      const error = await rejection(() =>
        readOnly.write('write/disabled.txt', Buffer.from('no'), { createDirs: true }),
      );
      expect(error).toBeInstanceOf(PermissionDeniedError);
      expect(error.message).toContain('files.writeEnabled is false');
      expect(existsSync(join(root, 'write', 'disabled.txt'))).toBe(false);
    });

    it('replaces an existing file atomically through a temp file and a rename', async () => {
      const target = join(root, 'write', 'atomic.txt');
      const witness = join(root, 'write', 'atomic-witness.txt');
      writeFileSync(target, 'old content');
      linkSync(target, witness);
      const inodeBefore = statSync(target).ino;

      const written = await service.write('write/atomic.txt', Buffer.from('new content'), {
        createDirs: false,
      });

      expect(written).toEqual({ path: target, bytes: 11, created: false });
      expect(readFileSync(target, 'utf8')).toBe('new content');
      // A rename swaps in a new inode; the hard link keeps the old one untouched.
      expect(statSync(target).ino).not.toBe(inodeBefore);
      expect(readFileSync(witness, 'utf8')).toBe('old content');
      expect(readdirSync(join(root, 'write')).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    });

    it('preserves the mode of an existing file', async () => {
      for (const mode of [0o600, 0o755, 0o640]) {
        const target = join(root, 'write', `mode-${mode.toString(8)}.sh`);
        writeFileSync(target, 'before');
        chmodSync(target, mode);
        await service.write(target, Buffer.from('after'), { createDirs: false });
        expect(statSync(target).mode & 0o777).toBe(mode);
        expect(readFileSync(target, 'utf8')).toBe('after');
      }
    });

    it('refuses a missing parent directory unless create_dirs is set', async () => {
      const error = await rejection(() =>
        service.write('write/nested/deeper/file.txt', Buffer.from('x'), { createDirs: false }),
      );
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.message).toContain('create_dirs: true');
      expect(existsSync(join(root, 'write', 'nested'))).toBe(false);

      const written = await service.write('write/nested/deeper/file.txt', Buffer.from('x'), {
        createDirs: true,
      });
      expect(written).toEqual({
        path: join(root, 'write', 'nested', 'deeper', 'file.txt'),
        bytes: 1,
        created: true,
      });
      expect(readFileSync(written.path, 'utf8')).toBe('x');
    });

    it('refuses to write onto a directory', async () => {
      mkdirSync(join(root, 'write', 'a-dir'));
      const error = await rejection(() =>
        service.write('write/a-dir', Buffer.from('x'), { createDirs: false }),
      );
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.message).toContain('is a directory');
      expect(statSync(join(root, 'write', 'a-dir')).isDirectory()).toBe(true);
    });

    it('refuses a parent that is a file', async () => {
      writeFileSync(join(root, 'write', 'plain.txt'), 'plain');
      const error = await rejection(() =>
        service.write('write/plain.txt/child.txt', Buffer.from('x'), { createDirs: true }),
      );
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.message).toContain('not a directory');
    });

    it('writes through a symlink inside the root to its target and keeps the link', async () => {
      writeFileSync(join(root, 'write', 'link-target.txt'), 'before');
      symlinkSync(join(root, 'write', 'link-target.txt'), join(root, 'write', 'link.txt'));
      const written = await service.write('write/link.txt', Buffer.from('after'), { createDirs: false });
      expect(written.path).toBe(join(root, 'write', 'link-target.txt'));
      expect(readFileSync(join(root, 'write', 'link-target.txt'), 'utf8')).toBe('after');
      expect(lstatSync(join(root, 'write', 'link.txt')).isSymbolicLink()).toBe(true);
    });

    it('refuses to write outside the roots, including through an escaping symlinked directory', async () => {
      symlinkSync(outside, join(root, 'write', 'escape-dir'));
      for (const p of [join(outside, 'new.txt'), '../outside/new.txt', 'write/escape-dir/new.txt']) {
        const error = await rejection(() => service.write(p, Buffer.from('x'), { createDirs: true }));
        expect(error).toBeInstanceOf(PermissionDeniedError);
      }
      expect(readdirSync(outside)).toEqual(['secret.txt']);
    });
  });

  describe('list', () => {
    let dir: string;

    beforeAll(() => {
      dir = join(base, 'list-root');
      mkdirSync(join(dir, 'dir', 'inner'), { recursive: true });
      writeFileSync(join(dir, 'a.txt'), 'aaa');
      writeFileSync(join(dir, 'b.txt'), 'b');
      writeFileSync(join(dir, '.hidden'), 'h');
      writeFileSync(join(dir, 'dir', 'c.txt'), 'c');
      writeFileSync(join(dir, 'dir', '.inner-hidden'), 'h');
      writeFileSync(join(dir, 'dir', 'inner', 'd.txt'), 'd');
      symlinkSync(outside, join(dir, 'link-dir'));
    });

    it('lists one level without hidden entries, sorted, with type, size and time', async () => {
      const list = await withLimits({}, dir).list('.', { recursive: false, includeHidden: false });
      expect(list.root).toBe(dir);
      expect(list.truncated).toBe(false);
      expect(list.limit).toBe(50);
      expect(list.entries.map((e) => [e.path, e.type])).toEqual([
        ['a.txt', 'file'],
        ['b.txt', 'file'],
        ['dir', 'directory'],
        ['link-dir', 'symlink'],
      ]);
      const a = list.entries[0]!;
      expect(a.name).toBe('a.txt');
      expect(a.size).toBe(3);
      expect(new Date(a.modified).toISOString()).toBe(a.modified);
    });

    it('includes hidden entries when asked', async () => {
      const list = await withLimits({}, dir).list('.', { recursive: false, includeHidden: true });
      expect(list.entries.map((e) => e.name)).toEqual(['.hidden', 'a.txt', 'b.txt', 'dir', 'link-dir']);
    });

    it('walks subdirectories when recursive, with paths relative to the listed directory', async () => {
      const list = await withLimits({}, dir).list('.', { recursive: true, includeHidden: false });
      expect(list.entries.map((e) => e.path)).toEqual([
        'a.txt',
        'b.txt',
        'dir',
        'dir/c.txt',
        'dir/inner',
        'dir/inner/d.txt',
        'link-dir',
      ]);
      const hidden = await withLimits({}, dir).list('dir', { recursive: true, includeHidden: true });
      expect(hidden.root).toBe(join(dir, 'dir'));
      expect(hidden.entries.map((e) => e.path)).toEqual(['.inner-hidden', 'c.txt', 'inner', 'inner/d.txt']);
    });

    it('lists a symlinked directory without following it', async () => {
      const list = await withLimits({}, dir).list('.', { recursive: true, includeHidden: true });
      expect(list.entries.find((e) => e.name === 'link-dir')?.type).toBe('symlink');
      expect(list.entries.some((e) => e.path.startsWith('link-dir/'))).toBe(false);
      expect(list.entries.some((e) => e.name === 'secret.txt')).toBe(false);
    });

    it('is not truncated when the entries exactly fill the cap', async () => {
      const list = await withLimits({ maxListEntries: 7 }, dir).list('.', {
        recursive: true,
        includeHidden: false,
      });
      expect(list.entries).toHaveLength(7);
      expect(list.truncated).toBe(false);
      expect(list.limit).toBe(7);
    });

    it('is truncated when more entries exist than the cap', async () => {
      const list = await withLimits({ maxListEntries: 6 }, dir).list('.', {
        recursive: true,
        includeHidden: false,
      });
      expect(list.entries.map((e) => e.path)).toEqual([
        'a.txt',
        'b.txt',
        'dir',
        'dir/c.txt',
        'dir/inner',
        'dir/inner/d.txt',
      ]);
      expect(list.truncated).toBe(true);
      expect(list.limit).toBe(6);
      const flat = await withLimits({ maxListEntries: 2 }, dir).list('.', {
        recursive: false,
        includeHidden: false,
      });
      expect(flat.entries.map((e) => e.name)).toEqual(['a.txt', 'b.txt']);
      expect(flat.truncated).toBe(true);
    });

    it('refuses a file, a missing path and an escaping symlinked directory', async () => {
      const svc = withLimits({}, dir);
      const file = await rejection(() => svc.list('a.txt', { recursive: false, includeHidden: false }));
      expect(file).toBeInstanceOf(ValidationError);
      expect(file.message).toContain('read_file');
      expect(
        await rejection(() => svc.list('nope', { recursive: false, includeHidden: false })),
      ).toBeInstanceOf(NotFoundError);
      expect(
        await rejection(() => svc.list('link-dir', { recursive: false, includeHidden: false })),
      ).toBeInstanceOf(PermissionDeniedError);
    });

    it('resolves a working directory and refuses a file as one', async () => {
      const svc = withLimits({}, dir);
      await expect(svc.resolveDirectory('dir')).resolves.toBe(join(dir, 'dir'));
      const error = await rejection(() => svc.resolveDirectory('a.txt'));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.message).toContain('not a directory');
    });
  });

  describe('search', () => {
    let dir: string;

    beforeAll(() => {
      dir = join(base, 'search-root');
      for (const d of ['docs/guide', 'src/lib', '.git', 'node_modules/pkg', 'nested/node_modules']) {
        mkdirSync(join(dir, d), { recursive: true });
      }
      writeFileSync(join(dir, 'README.md'), '');
      writeFileSync(join(dir, 'docs', 'intro.md'), '');
      writeFileSync(join(dir, 'docs', 'guide', 'setup.md'), '');
      writeFileSync(join(dir, 'src', 'index.ts'), '');
      writeFileSync(join(dir, 'src', 'lib', 'util.ts'), '');
      writeFileSync(join(dir, 'src', 'lib', 'util.spec.ts'), '');
      writeFileSync(join(dir, '.git', 'notes.md'), '');
      writeFileSync(join(dir, 'node_modules', 'pkg', 'readme.md'), '');
      writeFileSync(join(dir, 'nested', 'node_modules', 'deep.md'), '');
      writeFileSync(join(dir, '.env.md'), '');
      symlinkSync(outside, join(dir, 'link-out'));
      writeFileSync(join(outside, 'leak.md'), '');
    });

    it('matches names at every depth when the pattern has no slash', async () => {
      const found = await withLimits({}, dir).search('.', '*.md');
      expect(found.root).toBe(dir);
      expect(found.entries.map((e) => e.path)).toEqual([
        '.env.md',
        'README.md',
        'docs/guide/setup.md',
        'docs/intro.md',
      ]);
      expect(found.truncated).toBe(false);
    });

    it('matches relative paths when the pattern has a slash', async () => {
      const svc = withLimits({}, dir);
      expect((await svc.search('.', 'docs/**/*.md')).entries.map((e) => e.path)).toEqual([
        'docs/guide/setup.md',
        'docs/intro.md',
      ]);
      expect((await svc.search('.', 'src/*.ts')).entries.map((e) => e.path)).toEqual(['src/index.ts']);
      expect((await svc.search('src', 'lib/*.ts')).entries.map((e) => e.path)).toEqual([
        'lib/util.spec.ts',
        'lib/util.ts',
      ]);
    });

    it('matches braces and question marks', async () => {
      const svc = withLimits({}, dir);
      expect((await svc.search('.', '{index,util}.ts')).entries.map((e) => e.name)).toEqual([
        'index.ts',
        'util.ts',
      ]);
      expect((await svc.search('.', 'uti?.ts')).entries.map((e) => e.name)).toEqual(['util.ts']);
    });

    it('does not descend into .git, node_modules or symlinked directories', async () => {
      const all = await withLimits({}, dir).search('.', '**');
      const paths = all.entries.map((e) => e.path);
      expect(paths.some((p) => p.startsWith('.git/'))).toBe(false);
      expect(paths.some((p) => p.startsWith('node_modules/'))).toBe(false);
      expect(paths.some((p) => p.startsWith('nested/node_modules/'))).toBe(false);
      expect(paths.some((p) => p.startsWith('link-out/'))).toBe(false);
      expect(paths).toContain('docs/guide/setup.md');
    });

    it('stops at the result cap and says so only when more matches exist', async () => {
      const capped = await withLimits({ maxSearchResults: 3 }, dir).search('.', '*.md');
      expect(capped.entries.map((e) => e.path)).toEqual(['.env.md', 'README.md', 'docs/guide/setup.md']);
      expect(capped.truncated).toBe(true);
      expect(capped.limit).toBe(3);
      const exact = await withLimits({ maxSearchResults: 4 }, dir).search('.', '*.md');
      expect(exact.entries).toHaveLength(4);
      expect(exact.truncated).toBe(false);
    });

    it('returns nothing, untruncated, when nothing matches', async () => {
      const found = await withLimits({}, dir).search('.', '*.rs');
      expect(found.entries).toEqual([]);
      expect(found.truncated).toBe(false);
    });

    it('refuses an empty pattern, a file, and a directory outside the roots', async () => {
      const svc = withLimits({}, dir);
      const empty = await rejection(() => svc.search('.', '  '));
      expect(empty).toBeInstanceOf(ValidationError);
      expect(empty.message).toContain('pattern must not be empty');
      expect(await rejection(() => svc.search('README.md', '*'))).toBeInstanceOf(ValidationError);
      expect(await rejection(() => svc.search(outside, '*'))).toBeInstanceOf(PermissionDeniedError);
      expect(await rejection(() => svc.search('link-out', '*'))).toBeInstanceOf(PermissionDeniedError);
    });
  });
});
