/**
 * The command line both TelemetryFlow MCP servers share: `serve` (the default), `validate`,
 * `info`, `init-config`, `--version` and `--help`. A program differs only in what it passes in
 * ({@link CliProgram}): its name, version and help, how it adjusts the loaded configuration, and
 * how it serves.
 *
 * Invariants:
 * - A configuration problem ends the run with one readable message through `output.error` and
 *   exit code 2, and nothing is served: a bad value in any source, a bad model setting (the model
 *   gateway is built once right after loading, so an unknown default model or an unusable base URL
 *   stops the start instead of failing every request), a bad command line, or a
 *   `ConfigurationError` thrown by `serve` itself (an unsafe or busy listening address). Any
 *   other error is rethrown to the caller.
 * - Nothing here writes to the standard streams: every answer goes through the program's
 *   `output`. The environment is read from `host.env` alone, never from the process.
 *
 * Decisions:
 * - The model gateway (`@tfo/llm-providers/gateway`, without the vendor SDKs) is loaded only by
 *   the commands that load the configuration, so `--version`, `--help` and `init-config` answer
 *   at once.
 * - The working and home directories, the user id and the Node.js version are the process's own
 *   unless `host` gives them (tests do).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { ConfigurationError } from '@tfo/domain';
import {
  createLogger,
  loadConfig,
  mcpLevelToPino,
  parseCli,
  redactConfig,
  renderConfigYaml,
  renderHelp,
  resolveDataDir,
  setLogLevel,
  type AppLogger,
  type LoadedConfig,
  type ServerConfig,
} from '@tfo/runtime';
import { childEnvironment } from './child-env.js';
import type { ServerInputs } from './container.js';
import { modelSettingsOf } from './model-settings.js';

/** Where the command line's answers go; the app's printers write them to its streams. */
export interface CliOutput {
  /** An answer of a command (version, help, `info`, `validate`, `init-config`). */
  line(text: string): void;
  /** An error of the command line itself, before any logger exists. */
  error(text: string): void;
}

/** What the process tells the command line; only `env` is required. */
export interface CliHost {
  /** The process environment: `TELEMETRYFLOW_MCP_*`, the provider keys, and what child processes inherit. */
  env: Readonly<Record<string, string | undefined>>;
  /** The working directory: where the file search starts and relative paths resolve. Default: the process's. */
  cwd?: string;
  /** The user's home directory. Default: the process user's. */
  homeDir?: string;
  /** True when the process runs as root (the data directory moves to /var/lib). Default: from the process. */
  runningAsRoot?: boolean;
  /** The Node.js version `info` reports. Default: the running one. */
  nodeVersion?: string;
}

/**
 * What `serve` receives: what the container is built from (the data plane aside, which `serve`
 * opens), with the logger as the app's stderr logger, plus where the configuration came from and
 * where the embedded engines keep their data.
 */
export interface ServeInputs extends Omit<ServerInputs, 'logger' | 'plane' | 'writeGate'> {
  /** The stderr logger, at the configured level and format, named after the program. */
  logger: AppLogger;
  /** The YAML file the configuration came from, when one was read. */
  configFile: string | undefined;
  /** Where the embedded engines keep their data (`data.dir`, or the per-user default). */
  dataDir: string;
}

/** What makes one server's command line. */
export interface CliProgram {
  /** The program name, in help, errors and log lines (e.g. `tfo-mcp`). */
  name: string;
  /** The version `--version` and `info` print and `serve` announces. */
  version: string;
  /** The `--help` text. Default: the shared help for `name`. */
  help?: string;
  /** Applied to every loaded configuration before it is checked or used (e.g. forcing the transport). */
  adjustConfig?: (config: ServerConfig) => ServerConfig;
  /** Starts the server; resolves once it is serving. */
  serve: (inputs: ServeInputs) => Promise<void>;
  /** Where answers and errors are written. */
  output: CliOutput;
}

/** The process facts with the defaults filled in. */
type Host = Required<CliHost>;

function completeHost(host: CliHost): Host {
  return {
    env: host.env,
    cwd: host.cwd ?? process.cwd(),
    homeDir: host.homeDir ?? homedir(),
    runningAsRoot: host.runningAsRoot ?? process.getuid?.() === 0,
    nodeVersion: host.nodeVersion ?? process.version,
  };
}

/** Loads, adjusts and checks the configuration, model settings included. */
async function load(program: CliProgram, host: Host, configPath: string | undefined): Promise<LoadedConfig> {
  const loaded = loadConfig({
    env: host.env,
    cwd: host.cwd,
    homeDir: host.homeDir,
    ...(configPath === undefined ? {} : { configPath }),
  });
  const config = program.adjustConfig ? program.adjustConfig(loaded.config) : loaded.config;
  const { LlmGateway } = await import('@tfo/llm-providers/gateway');
  new LlmGateway(modelSettingsOf(config));
  return { ...loaded, config };
}

function initConfig(output: CliOutput, host: Host, target: string | undefined, force: boolean): number {
  if (target === undefined) {
    output.line(renderConfigYaml());
    return 0;
  }
  const path = resolve(host.cwd, target);
  if (existsSync(path) && !force) {
    output.error(`${path} already exists; pass --force to overwrite it`);
    return 1;
  }
  writeFileSync(path, renderConfigYaml(), { flag: force ? 'w' : 'wx' });
  output.line(`Wrote ${path}`);
  return 0;
}

async function serveWith(program: CliProgram, host: Host, loaded: LoadedConfig): Promise<void> {
  const { config } = loaded;
  const logger = createLogger({
    level: config.logging.level,
    format: config.logging.format,
    name: program.name,
  });
  await program.serve({
    config,
    version: program.version,
    logger,
    startedAt: new Date(),
    redactedConfig: () => redactConfig(config),
    setLogLevel: (level) => setLogLevel(logger, mcpLevelToPino(level)),
    childEnv: childEnvironment(host.env),
    configFile: loaded.configFile,
    dataDir: resolveDataDir(config.data.dir, {
      homeDir: host.homeDir,
      runningAsRoot: host.runningAsRoot,
      xdgDataHome: host.env['XDG_DATA_HOME'],
    }),
  });
}

/**
 * Runs `program` with the arguments after the program name; resolves to the exit code, or to
 * undefined once the server is serving (the process then lives until it is stopped).
 */
export async function runCli(
  program: CliProgram,
  argv: readonly string[],
  cliHost: CliHost,
): Promise<number | undefined> {
  const { output } = program;
  const host = completeHost(cliHost);
  try {
    const cli = parseCli(argv);
    switch (cli.command) {
      case 'version':
        output.line(program.version);
        return 0;
      case 'help':
        output.line(program.help ?? renderHelp(program.name));
        return 0;
      case 'init-config':
        return initConfig(output, host, cli.output, cli.force);
      case 'validate': {
        const loaded = await load(program, host, cli.configPath);
        output.line(
          `Configuration is valid${loaded.configFile ? ` (file: ${loaded.configFile})` : ' (no file; environment and defaults)'}`,
        );
        return 0;
      }
      case 'info': {
        const loaded = await load(program, host, cli.configPath);
        const info = {
          name: loaded.config.server.name,
          version: program.version,
          node: host.nodeVersion,
          configFile: loaded.configFile ?? null,
          config: redactConfig(loaded.config),
        };
        output.line(JSON.stringify(info, null, 2));
        return 0;
      }
      case 'serve':
        await serveWith(program, host, await load(program, host, cli.configPath));
        return undefined;
    }
  } catch (error) {
    if (error instanceof ConfigurationError) {
      output.error(`${program.name}: configuration error\n${error.message}`);
      return 2;
    }
    throw error;
  }
}
