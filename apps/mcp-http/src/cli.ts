/**
 * The `tfo-mcp-http` command line: `serve` (default), `validate`, `info`, `init-config`,
 * `--version`, `--help`, run by the shared runner of @tfo/app-shell with the stdio server's
 * conventions and configuration sources. Configuration problems (a bad model setting, an unsafe
 * or unavailable listening address) stop start-up with one readable message on stderr and exit
 * code 2; nothing is served with a bad configuration.
 *
 * Decisions:
 * - This program always speaks HTTP, so `server.transport` is set to `http` in the loaded
 *   configuration whatever the sources say.
 * - The server is loaded only to serve, so the other commands answer quickly.
 */
import { packageVersion, runCli, type CliProgram } from '@tfo/app-shell';
import { cliOutput } from './cli-output.js';

/** Runs the CLI; resolves to the exit code (undefined while serving). */
export function run(argv: string[], env: NodeJS.ProcessEnv): Promise<number | undefined> {
  const program: CliProgram = {
    name: 'tfo-mcp-http',
    version: packageVersion(import.meta.url),
    adjustConfig: (config) => ({ ...config, server: { ...config.server, transport: 'http' } }),
    serve: async (inputs) => (await import('./serve.js')).serve(inputs),
    output: cliOutput,
  };
  return runCli(program, argv, { env });
}
