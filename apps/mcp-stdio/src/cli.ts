/**
 * The `tfo-mcp` command line: `serve` (default), `validate`, `info`, `init-config`,
 * `--version`, `--help`. Configuration problems stop start-up with one readable
 * message on stderr and exit code 2; nothing is served with a bad configuration.
 */
import { createRequire } from 'node:module';
import { existsSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { ConfigurationError } from '@tfo/domain';
import { LlmGateway } from '@tfo/llm-providers';
import {
  providerCredentialsOf,
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
import { serve } from './serve.js';

const PROGRAM = 'tfo-mcp';

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
  // The model settings are checked with the rest (default model known, base URLs usable), so
  // a bad one stops the start instead of failing every request.
  new LlmGateway({ ...loaded.config.llm, providers: providerCredentialsOf(loaded.config) });
  return loaded;
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
