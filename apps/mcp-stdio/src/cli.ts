/**
 * The `tfo-mcp` command line: `serve` (default), `validate`, `info`, `init-config`,
 * `--version`, `--help`, run by the shared runner of @tfo/app-shell. Configuration problems
 * (a bad model setting included) stop start-up with one readable message on stderr and exit
 * code 2; nothing is served with a bad configuration.
 *
 * Decision: the server is loaded only to serve, so the other commands answer without loading
 * the MCP SDK and the drivers.
 */
import { packageVersion, runCli, type CliProgram } from '@tfo/app-shell';
import { cliOutput } from './cli-output.js';

/** Runs the CLI; resolves to the exit code (undefined while serving). */
export function run(argv: string[], env: NodeJS.ProcessEnv): Promise<number | undefined> {
  const program: CliProgram = {
    name: 'tfo-mcp',
    version: packageVersion(import.meta.url),
    serve: async (inputs) => (await import('./serve.js')).serve(inputs),
    output: cliOutput,
  };
  return runCli(program, argv, { env });
}
