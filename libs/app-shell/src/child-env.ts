/**
 * The environment handed to programs that `execute_command` starts: enough for them to run (the
 * search path, home, locale, time zone, temporary directory) and nothing else, so no secret of the
 * server (provider keys, database URLs, TELEMETRYFLOW_MCP_* settings) reaches a child process.
 *
 * The app passes its own environment in; this module never looks at the process.
 */

/** The variables a child process inherits, when the server has them. */
export const CHILD_ENV_VARIABLES: readonly string[] = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR'];

/** Picks the harmless variables ({@link CHILD_ENV_VARIABLES}) from the server's environment `env`. */
export function childEnvironment(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of CHILD_ENV_VARIABLES) {
    const value = env[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}
