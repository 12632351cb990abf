/**
 * The `tfo-mcp-http` command line: `serve` (default), `validate`, `info`, `init-config`,
 * `--version`, `--help`, with the stdio server's conventions and configuration sources.
 * Configuration problems (and an unsafe or unavailable listening address) stop start-up with
 * one readable message on stderr and exit code 2; nothing is served with a bad configuration.
 *
 * Decision: this program always speaks HTTP, so `server.transport` is set to `http` in the
 * loaded configuration whatever the sources say.
 */
import { createRequire } from 'node:module';
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
  setLogLevel,
  type LoadedConfig,
} from '@tfo/runtime';
import { childEnvironment } from './child-env.js';
import { printError, printLine } from './cli-output.js';

const PROGRAM = 'tfo-mcp-http';

function version(): string {
  const require = createRequire(import.meta.url);
  return (require('../package.json') as { version: string }).version;
}

function load(env: NodeJS.ProcessEnv, configPath: string | undefined): LoadedConfig {
  const loaded = loadConfig({
    env,
    cwd: process.cwd(),
    homeDir: homedir(),
    ...(configPath === undefined ? {} : { configPath }),
  });
  return { ...loaded, config: { ...loaded.config, server: { ...loaded.config.server, transport: 'http' } } };
}

/** Runs the CLI; resolves to the exit code (undefined while serving). */
export async function run(argv: string[], env: NodeJS.ProcessEnv): Promise<number | undefined> {
  try {
    const cli = parseCli(argv);
    switch (cli.command) {
      case 'version':
        printLine(version());
        return 0;
      case 'help':
        printLine(renderHelp(PROGRAM));
        return 0;
      case 'init-config': {
        if (cli.output === undefined) {
          printLine(renderConfigYaml());
          return 0;
        }
        const target = resolve(cli.output);
        if (existsSync(target) && !cli.force) {
          printError(`${target} already exists; pass --force to overwrite it`);
          return 1;
        }
        writeFileSync(target, renderConfigYaml(), { flag: cli.force ? 'w' : 'wx' });
        printLine(`Wrote ${target}`);
        return 0;
      }
      case 'validate': {
        const loaded = load(env, cli.configPath);
        printLine(
          `Configuration is valid${loaded.configFile ? ` (file: ${loaded.configFile})` : ' (no file; environment and defaults)'}`,
        );
        return 0;
      }
      case 'info': {
        const loaded = load(env, cli.configPath);
        printLine(
          JSON.stringify(
            {
              name: loaded.config.server.name,
              version: version(),
              node: process.version,
              configFile: loaded.configFile ?? null,
              config: redactConfig(loaded.config),
            },
            null,
            2,
          ),
        );
        return 0;
      }
      case 'serve': {
        const loaded = load(env, cli.configPath);
        const { config } = loaded;
        const logger = createLogger({
          level: config.logging.level,
          format: config.logging.format,
          name: PROGRAM,
        });
        const startedAt = new Date();
        // Loaded only to serve, so --version, --help and the other commands answer quickly.
        const { serve } = await import('./serve.js');
        await serve({
          config,
          version: version(),
          logger,
          startedAt,
          redactedConfig: () => redactConfig(config),
          setLogLevel: (level) => setLogLevel(logger, mcpLevelToPino(level)),
          childEnv: childEnvironment(env),
          configFile: loaded.configFile,
        });
        return undefined;
      }
    }
  } catch (error) {
    if (error instanceof ConfigurationError) {
      printError(`${PROGRAM}: configuration error\n${error.message}`);
      return 2;
    }
    throw error;
  }
}
