/**
 * Where the embedded engines keep their data when `data.dir` is empty.
 *
 * Decision: a root process uses `/var/lib/tfo-mcp`, because embedded PostgreSQL then runs as
 * the `postgres` user, which cannot enter root's home directory (mode 0700).
 */
import { join } from 'node:path';

/** What {@link defaultDataDir} needs to know about the process; the app supplies it. */
export interface DataDirContext {
  /** The user's home directory. */
  homeDir: string;
  /** True when the process runs as root (uid 0). */
  runningAsRoot: boolean;
  /** `$XDG_DATA_HOME` when set. */
  xdgDataHome?: string | undefined;
}

/** `configured` when not empty, else the per-user (or, for root, system) default. */
export function resolveDataDir(configured: string, context: DataDirContext): string {
  if (configured !== '') return configured;
  if (context.runningAsRoot) return '/var/lib/tfo-mcp';
  const base =
    context.xdgDataHome && context.xdgDataHome !== ''
      ? context.xdgDataHome
      : join(context.homeDir, '.local', 'share');
  return join(base, 'tfo-mcp');
}
