/**
 * @tfo/app-shell: what both TelemetryFlow MCP servers (stdio and HTTP) are composed from. This
 * entry is the light half, loaded before anything is served: the command line, the environment
 * of child processes, the app's version and the model settings. The serving half (container
 * registrations, data plane, shutdown) is `@tfo/app-shell/server`, loaded only to serve, so
 * `--version` and `--help` answer without loading the MCP SDK, the drivers or the provider SDKs.
 *
 * A library: it never reads the process environment (the app passes it in) and never writes to
 * the standard streams (the app passes its printers in).
 */

/** The shared command line: `serve`, `validate`, `info`, `init-config`, `--version`, `--help`. */
export { runCli, type CliHost, type CliOutput, type CliProgram, type ServeInputs } from './cli.js';

/** The environment programs run by execute_command inherit: enough to run, no secrets. */
export { childEnvironment, CHILD_ENV_VARIABLES } from './child-env.js';

/** The app's version, from its own package.json. */
export { packageVersion } from './package-version.js';

/** The model gateway's settings from the configuration, as checked at load time and used by the tools. */
export { modelSettingsOf } from './model-settings.js';
