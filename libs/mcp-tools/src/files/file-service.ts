/**
 * File operations behind the file tools and the `file:///` resource. Every path goes
 * through {@link PathGuard}; reads and writes are capped; writes are atomic (temp file
 * in the same directory, then rename) so a failed write never leaves a half file.
 * Directory walks never follow symlinked directories, so a walk cannot leave the roots.
 */
import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, open, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { LimitExceededError, PermissionDeniedError, ValidationError } from '@tfo/domain';
import type { PathGuard } from './path-guard.js';

/** Limits for file operations. */
export interface FileLimits {
  maxReadBytes: number;
  maxWriteBytes: number;
  writeEnabled: boolean;
  maxSearchResults: number;
  maxListEntries: number;
}

/** One directory entry. */
export interface DirectoryEntry {
  path: string;
  name: string;
  type: 'file' | 'directory' | 'symlink' | 'other';
  size: number;
  modified: string;
}

/** A listing or search that may have been cut at its cap. */
export interface EntryList {
  root: string;
  entries: DirectoryEntry[];
  truncated: boolean;
  limit: number;
}

const SKIP_DIRS = new Set(['.git', 'node_modules']);

/** Compiles a glob (`*`, `**`, `?`, `{a,b}`) into a regular expression over `/`-separated paths. */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') {
          i++;
          out += '(?:.*/)?';
        } else out += '.*';
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '{') {
      const end = glob.indexOf('}', i);
      if (end === -1) out += '\\{';
      else {
        out += `(?:${glob
          .slice(i + 1, end)
          .split(',')
          .map((s) => s.replace(/[.+^${}()|[\]\\*?]/g, '\\$&'))
          .join('|')})`;
        i = end;
      }
    } else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

function entryType(s: {
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}): DirectoryEntry['type'] {
  if (s.isSymbolicLink()) return 'symlink';
  if (s.isDirectory()) return 'directory';
  if (s.isFile()) return 'file';
  return 'other';
}

/** File operations confined by a {@link PathGuard}. */
export class FileService {
  constructor(
    private readonly guard: PathGuard,
    private readonly limits: FileLimits,
  ) {}

  /** The configured roots. */
  get roots(): readonly string[] {
    return this.guard.allowedRoots;
  }

  /** Resolves a directory inside the roots (for a working directory). */
  async resolveDirectory(path: string, clientRoots?: string[]): Promise<string> {
    const real = await this.guard.resolve(path, { mustExist: true, clientRoots });
    if (!(await stat(real)).isDirectory()) throw new ValidationError(`"${path}" is not a directory`);
    return real;
  }

  /** Reads a whole file, refusing files over the read cap. */
  async read(path: string, clientRoots?: string[]): Promise<{ path: string; data: Buffer; size: number }> {
    const real = await this.guard.resolve(path, { mustExist: true, clientRoots });
    const info = await stat(real);
    if (info.isDirectory()) {
      throw new ValidationError(`"${path}" is a directory; use list_directory to see its entries`);
    }
    if (info.size > this.limits.maxReadBytes) {
      throw new LimitExceededError(
        `"${path}" is ${info.size} bytes, over the read limit of ${this.limits.maxReadBytes} bytes (files.maxReadBytes). Read a smaller file or ask the operator to raise the limit.`,
        { details: { size: info.size, limit: this.limits.maxReadBytes } },
      );
    }
    // Read at most limit+1 bytes so a file that grows between stat and read stays capped.
    const handle = await open(real, 'r');
    try {
      const buffer = Buffer.alloc(Math.min(info.size, this.limits.maxReadBytes) + 1);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      if (bytesRead > this.limits.maxReadBytes) {
        throw new LimitExceededError(
          `"${path}" grew past the read limit of ${this.limits.maxReadBytes} bytes while reading`,
        );
      }
      return { path: real, data: buffer.subarray(0, bytesRead), size: bytesRead };
    } finally {
      await handle.close();
    }
  }

  /** Writes a file atomically. */
  async write(
    path: string,
    content: Buffer,
    options: { createDirs: boolean; clientRoots?: string[] | undefined },
  ): Promise<{ path: string; bytes: number; created: boolean }> {
    if (!this.limits.writeEnabled) {
      throw new PermissionDeniedError(
        'Writing files is disabled on this server (files.writeEnabled is false). Ask the operator to enable it.',
      );
    }
    if (content.length > this.limits.maxWriteBytes) {
      throw new LimitExceededError(
        `The content is ${content.length} bytes, over the write limit of ${this.limits.maxWriteBytes} bytes (files.maxWriteBytes). Write less at a time.`,
        { details: { size: content.length, limit: this.limits.maxWriteBytes } },
      );
    }
    const real = await this.guard.resolve(path, { mustExist: false, clientRoots: options.clientRoots });
    const found = await lstat(real).catch(() => null);
    if (found?.isDirectory()) throw new ValidationError(`"${path}" is a directory; give a file path`);
    // A dangling symlink counts as absent: the write replaces the link with a regular file.
    const existing = found && !found.isSymbolicLink() ? found : null;
    const dir = dirname(real);
    const dirInfo = await stat(dir).catch(() => null);
    if (!dirInfo) {
      if (!options.createDirs) {
        throw new ValidationError(
          `The directory of "${path}" does not exist; pass create_dirs: true to create it`,
        );
      }
      await mkdir(dir, { recursive: true });
    } else if (!dirInfo.isDirectory()) {
      throw new ValidationError(`The parent of "${path}" is not a directory`);
    }
    const temp = join(dir, `.${basename(real)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await writeFile(temp, content, { flag: 'wx', mode: 0o600 });
      // chmod is not subject to the umask, so an existing file keeps exactly its mode.
      await chmod(temp, existing ? existing.mode & 0o7777 : 0o644);
      await rename(temp, real);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return { path: real, bytes: content.length, created: existing === null };
  }

  /** Lists a directory, optionally recursively, up to the entry cap. */
  async list(
    path: string,
    options: { recursive: boolean; includeHidden: boolean; clientRoots?: string[] | undefined },
  ): Promise<EntryList> {
    const real = await this.guard.resolve(path, { mustExist: true, clientRoots: options.clientRoots });
    const info = await stat(real);
    if (!info.isDirectory())
      throw new ValidationError(`"${path}" is a file, not a directory; use read_file to read it`);
    const limit = this.limits.maxListEntries;
    const entries: DirectoryEntry[] = [];
    const truncated = await this.walk(real, real, options.recursive, options.includeHidden, (entry) => {
      if (entries.length >= limit) return false;
      entries.push(entry);
      return true;
    });
    return { root: real, entries, truncated, limit };
  }

  /** Finds files whose path relative to `path` (or whose name) matches a glob. */
  async search(path: string, pattern: string, clientRoots?: string[]): Promise<EntryList> {
    if (!pattern.trim())
      throw new ValidationError('pattern must not be empty; use a glob such as "*.ts" or "**/config*.yaml"');
    const real = await this.guard.resolve(path, { mustExist: true, clientRoots });
    const info = await stat(real);
    if (!info.isDirectory())
      throw new ValidationError(`"${path}" is not a directory; search_files searches under a directory`);
    const regex = globToRegExp(pattern);
    const matchOnName = !pattern.includes('/');
    const limit = this.limits.maxSearchResults;
    const entries: DirectoryEntry[] = [];
    let truncated = false;
    await this.walk(real, real, true, true, (entry) => {
      const subject = matchOnName ? entry.name : entry.path;
      if (regex.test(subject)) {
        if (entries.length >= limit) {
          truncated = true;
          return false;
        }
        entries.push(entry);
      }
      return true;
    });
    return { root: real, entries, truncated, limit };
  }

  /** Depth-first walk; `visit` returns false to stop. Returns true when stopped early. */
  private async walk(
    base: string,
    dir: string,
    recursive: boolean,
    includeHidden: boolean,
    visit: (entry: DirectoryEntry) => boolean,
  ): Promise<boolean> {
    const names = (await readdir(dir)).sort();
    for (const name of names) {
      if (!includeHidden && name.startsWith('.')) continue;
      const full = join(dir, name);
      const s = await lstat(full).catch(() => null);
      if (!s) continue;
      const entry: DirectoryEntry = {
        path: relative(base, full).split('\\').join('/'),
        name,
        type: entryType(s),
        size: s.size,
        modified: s.mtime.toISOString(),
      };
      if (!visit(entry)) return true;
      if (recursive && s.isDirectory() && !SKIP_DIRS.has(name)) {
        if (await this.walk(base, full, recursive, includeHidden, visit)) return true;
      }
    }
    return false;
  }
}
