/**
 * Path confinement for every file tool and the `file:///` resource.
 *
 * Invariants:
 * - a path is allowed only when its *real* location (all symlinks resolved, including
 *   those of the nearest existing ancestor for paths that do not exist yet) lies inside
 *   one of the configured roots, and, when the client offers MCP roots, inside one of
 *   those too;
 * - containment is decided with `path.relative`, never by string prefix, so `/data2`
 *   is not inside `/data`;
 * - NUL bytes are rejected before touching the file system;
 * - a denied path never reveals whether it exists.
 */
import { realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { NotFoundError, PermissionDeniedError, ValidationError } from '@tfo/domain';

/** True when `child` equals `parent` or lies beneath it. Both must be absolute and normalised. */
export function isWithin(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

const UNRESOLVABLE = new Set(['ENOENT', 'ENOTDIR', 'ELOOP', 'EACCES', 'EPERM', 'ENAMETOOLONG']);

async function realpathOrNull(p: string): Promise<string | null> {
  try {
    return await realpath(p);
  } catch (error) {
    // Any path that cannot be resolved is treated as not existing, so the containment
    // check below decides the answer and an outside path never reveals that it exists.
    const code = (error as NodeJS.ErrnoException).code;
    if (code && UNRESOLVABLE.has(code)) return null;
    throw error;
  }
}

/** Resolves symlinks of the longest existing prefix and appends the rest unchanged. */
async function realLocation(absolute: string): Promise<{ real: string; exists: boolean }> {
  const direct = await realpathOrNull(absolute);
  if (direct !== null) return { real: direct, exists: true };
  const missing: string[] = [];
  let current = absolute;
  for (;;) {
    const parent = resolve(current, '..');
    missing.unshift(current.slice(parent.length).replace(/^[\\/]+/, ''));
    if (parent === current) return { real: absolute, exists: false };
    const real = await realpathOrNull(parent);
    if (real !== null) return { real: join(real, ...missing), exists: false };
    current = parent;
  }
}

/** Checks requested paths against the configured roots and the client's roots. */
export class PathGuard {
  private realRoots: Promise<string[]> | undefined;

  /** @param roots absolute directories the server may touch; the first is the base for relative paths. */
  constructor(private readonly roots: readonly string[]) {
    if (roots.length === 0)
      throw new ValidationError('At least one file root must be configured (files.roots)');
  }

  /** The configured roots, as given. */
  get allowedRoots(): readonly string[] {
    return this.roots;
  }

  private resolvedRoots(): Promise<string[]> {
    this.realRoots ??= Promise.all(
      this.roots.map(async (r) => (await realpathOrNull(resolve(r))) ?? resolve(r)),
    );
    return this.realRoots;
  }

  /**
   * Returns the real absolute path for `requested` when it is allowed.
   * @throws ValidationError for empty paths or NUL bytes
   * @throws PermissionDeniedError when the real location is outside the roots
   * @throws NotFoundError when `mustExist` and the path does not exist
   */
  async resolve(
    requested: string,
    options: { mustExist: boolean; clientRoots?: string[] | undefined },
  ): Promise<string> {
    if (typeof requested !== 'string' || requested.trim() === '') {
      throw new ValidationError(
        'A path is required; give a path relative to the first root or an absolute path inside a root',
      );
    }
    if (requested.includes('\0')) {
      throw new ValidationError('The path contains a NUL byte, which no file name may contain');
    }
    const roots = await this.resolvedRoots();
    const absolute = resolve(roots[0]!, requested);
    const { real, exists } = await realLocation(absolute);
    const clientRoots =
      options.clientRoots && options.clientRoots.length > 0 ? options.clientRoots : undefined;
    const insideConfigured = roots.some((root) => isWithin(root, real));
    let insideClient = true;
    if (clientRoots) {
      const realClient = await Promise.all(
        clientRoots.map(async (r) => (await realpathOrNull(r)) ?? resolve(r)),
      );
      insideClient = realClient.some((root) => isWithin(root, real));
    }
    if (!insideConfigured || !insideClient) {
      const allowed = clientRoots
        ? `${this.roots.join(', ')} (and the client's roots: ${clientRoots.join(', ')})`
        : this.roots.join(', ');
      throw new PermissionDeniedError(
        `Access denied: "${requested}" is outside the allowed roots. Allowed roots: ${allowed}. Use a path inside one of them.`,
        {
          details: {
            path: requested,
            allowedRoots: [...this.roots],
            ...(clientRoots ? { clientRoots } : {}),
          },
        },
      );
    }
    if (options.mustExist && !exists) {
      throw new NotFoundError(
        `No such file or directory: "${requested}". Use list_directory to see what exists.`,
        {
          details: { path: requested },
        },
      );
    }
    return real;
  }
}
