/**
 * Command-line parsing shared by the servers, modelled on the original's CLI:
 * `serve` (the default), `validate`, `info`, `init-config`, `--version`, `--help`,
 * with `--config <file>` accepted before or after the command.
 *
 * Parsing is pure: the app passes `process.argv.slice(2)` and acts on the result.
 * Misuse throws a `ConfigurationError` whose message lists what is valid.
 */
import { parseArgs } from 'node:util';
import { ConfigurationError } from '@tfo/domain';

/** The commands, in the order help lists them. `serve` is the default. */
export const CLI_COMMANDS = ['serve', 'validate', 'info', 'init-config'] as const;

/** A command name. */
export type CliCommandName = (typeof CLI_COMMANDS)[number];

/** What the command line asks for. */
export type CliCommand =
  | {
      /** Run the server, check the configuration, or print version and effective configuration. */
      command: 'serve' | 'validate' | 'info';
      /** The file given with `--config`/`-c`, as written. */
      configPath?: string;
    }
  | {
      /** Write a commented configuration file with every default. */
      command: 'init-config';
      /** The file given with `--config`/`-c`, as written (unused by init-config itself). */
      configPath?: string;
      /** Where to write; standard output when absent. */
      output?: string;
      /** Overwrite `output` if it exists. */
      force: boolean;
    }
  | { command: 'version' }
  | { command: 'help' };

const OPTIONS = {
  config: { type: 'string', short: 'c' },
  output: { type: 'string', short: 'o' },
  force: { type: 'boolean', short: 'f' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

const USAGE_HINT =
  `Commands: ${CLI_COMMANDS.join(', ')} (default serve). ` +
  'Options: --config/-c <file>, --help/-h, --version/-v; init-config also takes --output/-o <file> and --force/-f.';

function usageError(problem: string, details: Record<string, unknown>): ConfigurationError {
  return new ConfigurationError(`${problem}. ${USAGE_HINT}`, { code: 'CONFIG.INVALID_ARGUMENTS', details });
}

function isCommandName(value: string): value is CliCommandName {
  return (CLI_COMMANDS as readonly string[]).includes(value);
}

/** Rewrites node:util's parse errors in our terms, naming the offending option. */
function translateParseError(error: unknown, argv: readonly string[]): ConfigurationError {
  const { code, message } = error as { code?: string; message?: string };
  const option = /'(-[^',]*)(?:,|')/.exec(message ?? '')?.[1];
  const longOption = /(--[a-z-]+)/.exec(message ?? '')?.[1] ?? option;
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return usageError(`Unknown option "${option ?? '?'}"`, { argv });
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /does not take an argument/.test(message ?? '')
        ? usageError(`Option "${longOption ?? '?'}" does not take a value`, { argv })
        : usageError(`Option "${longOption ?? '?'}" needs a file name after it`, { argv });
    default:
      return usageError(message ?? 'Invalid command line', { argv });
  }
}

function tokenize(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw translateParseError(error, argv);
  }
}

/**
 * Parses the arguments after the program name (`process.argv.slice(2)`).
 * `--help` wins over everything, then `--version`; with no command, `serve`.
 *
 * @throws ConfigurationError for an unknown command or option, a missing option
 *   value, extra arguments, or `--output`/`--force` outside `init-config`.
 */
export function parseCli(argv: readonly string[]): CliCommand {
  const { values, positionals } = tokenize(argv);

  if (values.help) return { command: 'help' };
  if (values.version) return { command: 'version' };

  const [name = 'serve', ...extra] = positionals;
  if (!isCommandName(name)) {
    throw usageError(`Unknown command "${name}"`, { argv, command: name });
  }
  if (extra.length > 0) {
    throw usageError(`Unexpected argument "${extra[0] ?? ''}" after "${name}"`, { argv });
  }
  const configPath = values.config === undefined ? {} : { configPath: values.config };

  if (name === 'init-config') {
    return {
      command: 'init-config',
      ...configPath,
      ...(values.output === undefined ? {} : { output: values.output }),
      force: values.force ?? false,
    };
  }
  if (values.output !== undefined || values.force) {
    throw usageError(`--output and --force apply only to init-config, not "${name}"`, {
      argv,
      command: name,
    });
  }
  return { command: name, ...configPath };
}

/** The `--help` text for a program invoked as `programName` (e.g. `tfo-mcp`). */
export function renderHelp(programName: string): string {
  return [
    `Usage: ${programName} [command] [options]`,
    '',
    'TelemetryFlow MCP server: lets AI assistants investigate telemetry through MCP.',
    '',
    'Commands:',
    '  serve                 Start the MCP server (the default)',
    '  validate              Load and check the configuration, report problems, exit',
    '  info                  Print the version and the effective configuration (secrets redacted)',
    '  init-config           Write a commented configuration file with every default',
    '',
    'Options:',
    '  -c, --config <file>   Configuration file to use instead of searching for one in',
    '                        ./tfo-mcp.yaml, ./configs/tfo-mcp.yaml, ~/.config/tfo-mcp/config.yaml',
    '                        and /etc/tfo-mcp/config.yaml',
    '  -o, --output <file>   init-config: write to <file> instead of standard output',
    '  -f, --force           init-config: overwrite <file> if it exists',
    '  -h, --help            Show this help',
    '  -v, --version         Show the version',
    '',
    'Environment variables (TELEMETRYFLOW_MCP_<SECTION>_<KEY>) override the file, which',
    'overrides the defaults. See docs/configuration.md for every key.',
    '',
  ].join('\n');
}
