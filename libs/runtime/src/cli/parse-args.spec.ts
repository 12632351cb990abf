import { describe, expect, it } from '@jest/globals';
import { ConfigurationError } from '@tfo/domain';
import { CLI_COMMANDS, parseCli, renderHelp } from './parse-args.js';

function parseError(argv: string[]): ConfigurationError {
  try {
    parseCli(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error(`expected ${JSON.stringify(argv)} to be rejected`);
}

describe('parseCli', () => {
  it.each([
    [[], { command: 'serve' }],
    [['serve'], { command: 'serve' }],
    [['validate'], { command: 'validate' }],
    [['info'], { command: 'info' }],
    [['init-config'], { command: 'init-config', force: false }],
    [
      ['init-config', '--output', 'tfo-mcp.yaml', '--force'],
      { command: 'init-config', output: 'tfo-mcp.yaml', force: true },
    ],
    [['init-config', '-o', 'x.yaml', '-f'], { command: 'init-config', output: 'x.yaml', force: true }],
    [['--config', 'a.yaml'], { command: 'serve', configPath: 'a.yaml' }],
    [['-c', 'a.yaml', 'validate'], { command: 'validate', configPath: 'a.yaml' }],
    [['validate', '--config', 'a.yaml'], { command: 'validate', configPath: 'a.yaml' }],
    [['info', '--config=b.yaml'], { command: 'info', configPath: 'b.yaml' }],
    [['--version'], { command: 'version' }],
    [['-v'], { command: 'version' }],
    [['--help'], { command: 'help' }],
    [['-h'], { command: 'help' }],
    [['validate', '--help'], { command: 'help' }],
    [['--version', '--help'], { command: 'help' }],
  ])('%j', (argv, expected) => {
    expect(parseCli(argv)).toEqual(expected);
  });

  it('rejects an unknown command and lists the valid ones', () => {
    const error = parseError(['start']);
    expect(error.message).toMatch(
      /^Unknown command "start"\. Commands: serve, validate, info, init-config \(default serve\)\./,
    );
    for (const command of CLI_COMMANDS) expect(error.message).toContain(command);
  });

  it.each([
    [['--verbose'], /^Unknown option "--verbose"\. Commands: serve, validate/],
    [['-x'], /^Unknown option "-x"\./],
    [['--config'], /^Option "--config" needs a file name after it\./],
    [['--config', '--force'], /^Option "--config" needs a file name after it\./],
    [['--force=yes', 'init-config'], /^Option "--force" does not take a value\./],
    [['serve', 'now'], /^Unexpected argument "now" after "serve"\./],
    [['serve', '--force'], /^--output and --force apply only to init-config, not "serve"\./],
    [['validate', '-o', 'x'], /^--output and --force apply only to init-config, not "validate"\./],
  ])('rejects %j', (argv, message) => {
    const error = parseError(argv);
    expect(error.message).toMatch(message);
    expect(error.message).toContain('Commands: serve, validate, info, init-config');
    expect(error.code).toBe('CONFIG.INVALID_ARGUMENTS');
  });
});

describe('renderHelp', () => {
  it('names the program, every command and every option', () => {
    const help = renderHelp('tfo-mcp');
    expect(help.startsWith('Usage: tfo-mcp [command] [options]\n')).toBe(true);
    for (const text of [
      ...CLI_COMMANDS,
      '--config <file>',
      '--output <file>',
      '--force',
      '--help',
      '--version',
      '/etc/tfo-mcp/config.yaml',
    ]) {
      expect(help).toContain(text);
    }
  });
});
