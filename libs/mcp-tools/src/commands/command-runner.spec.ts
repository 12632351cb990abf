import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LimitExceededError, NotFoundError, PermissionDeniedError, ValidationError } from '@tfo/domain';
import { CommandRunner, type CommandSettings } from './command-runner.js';

const SYSTEM_PATH = '/usr/bin:/bin';
const ECHO = existsSync('/bin/echo') ? '/bin/echo' : '/usr/bin/echo';

async function rejection(action: () => Promise<unknown>): Promise<Error> {
  try {
    await action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('CommandRunner', () => {
  let base: string;
  let bin: string;
  let cwd: string;

  const runner = (settings: Partial<CommandSettings> = {}) =>
    new CommandRunner({
      allow: ['echo', 'sleep', 'env', 'head', 'ls', 'pwd'],
      timeoutMs: 5000,
      maxOutputBytes: 65536,
      childEnv: { PATH: SYSTEM_PATH },
      ...settings,
    });

  beforeAll(() => {
    base = realpathSync(mkdtempSync(join(tmpdir(), 'tfo-command-runner-')));
    bin = join(base, 'bin');
    cwd = join(base, 'work');
    mkdirSync(bin);
    mkdirSync(cwd);
    mkdirSync(join(base, 'shadow'));
    writeFileSync(join(bin, 'tfo-hello'), '#!/bin/sh\necho "hello from tfo-hello"\n');
    chmodSync(join(bin, 'tfo-hello'), 0o755);
    // Not executable: must be skipped in favour of the next PATH entry.
    writeFileSync(join(base, 'shadow', 'tfo-hello'), '#!/bin/sh\necho shadow\n');
    chmodSync(join(base, 'shadow', 'tfo-hello'), 0o644);
    process.env['TFO_RUNNER_SPEC_SECRET'] = 'must-not-leak';
  });

  afterAll(() => {
    delete process.env['TFO_RUNNER_SPEC_SECRET'];
    rmSync(base, { recursive: true, force: true });
  });

  describe('resolveProgram', () => {
    it('is disabled when nothing is allowed and names the variable that enables it', async () => {
      const disabled = runner({ allow: [] });
      expect(disabled.enabled).toBe(false);
      const error = await rejection(() => disabled.resolveProgram('echo'));
      expect(error).toBeInstanceOf(PermissionDeniedError);
      expect(error.message).toContain('execute_command is disabled');
      expect(error.message).toContain('TELEMETRYFLOW_MCP_COMMANDS_ALLOW');
      const run = await rejection(() => disabled.run('echo', ['hi'], { cwd }));
      expect(run).toBeInstanceOf(PermissionDeniedError);
    });

    it('reports itself enabled with the configured allow list', () => {
      const r = runner({ allow: ['echo', ECHO] });
      expect(r.enabled).toBe(true);
      expect(r.allowList).toEqual(['echo', ECHO]);
    });

    it('refuses a program that is not on the allow list and lists what is', async () => {
      const error = await rejection(() => runner({ allow: ['echo', 'ls'] }).resolveProgram('rm'));
      expect(error).toBeInstanceOf(PermissionDeniedError);
      expect(error.message).toContain('"rm" is not on the allow list');
      expect(error.message).toContain('Allowed programs: echo, ls');
      expect((error as PermissionDeniedError).details).toEqual({ command: 'rm', allowed: ['echo', 'ls'] });
    });

    it('refuses an absolute path that is not itself on the allow list', async () => {
      const error = await rejection(() => runner({ allow: ['echo'] }).resolveProgram(ECHO));
      expect(error).toBeInstanceOf(PermissionDeniedError);
      const relative = await rejection(() => runner({ allow: ['echo'] }).resolveProgram('./echo'));
      expect(relative).toBeInstanceOf(PermissionDeniedError);
    });

    it('refuses a command line with spaces and explains how to pass arguments', async () => {
      for (const command of ['echo hello', 'ls -la', ' echo\tx', 'echo\nhi']) {
        const error = await rejection(() => runner().resolveProgram(command));
        expect(error).toBeInstanceOf(ValidationError);
        expect(error.message).toContain('is not a program name');
        expect(error.message).toContain('each argument as an element of "args"');
      }
      expect(await rejection(() => runner().resolveProgram('   '))).toBeInstanceOf(ValidationError);
    });

    it('refuses a NUL byte in the command', async () => {
      const error = await rejection(() => runner().resolveProgram('echo\0'));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.message).toContain('NUL');
    });

    it('resolves a program allowed by name through the child PATH only', async () => {
      const withBin = runner({ allow: ['tfo-hello'], childEnv: { PATH: `${join(base, 'shadow')}:${bin}` } });
      await expect(withBin.resolveProgram('tfo-hello')).resolves.toBe(join(bin, 'tfo-hello'));

      const withoutBin = runner({ allow: ['tfo-hello'], childEnv: { PATH: SYSTEM_PATH } });
      const error = await rejection(() => withoutBin.resolveProgram('tfo-hello'));
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error.message).toContain('"tfo-hello" is allowed but was not found');

      const noPath = runner({ allow: ['echo'], childEnv: {} });
      expect(await rejection(() => noPath.resolveProgram('echo'))).toBeInstanceOf(NotFoundError);
    });

    it('resolves an allowed absolute path, by path or by its name', async () => {
      const r = runner({ allow: [ECHO], childEnv: {} });
      await expect(r.resolveProgram(ECHO)).resolves.toBe(ECHO);
      await expect(r.resolveProgram('echo')).resolves.toBe(ECHO);
    });

    it('does not accept a directory as a program', async () => {
      const r = runner({ allow: ['work'], childEnv: { PATH: base } });
      expect(await rejection(() => r.resolveProgram('work'))).toBeInstanceOf(NotFoundError);
    });
  });

  describe('run', () => {
    it('runs a program and returns its exit code and output', async () => {
      const outcome = await runner().run('echo', ['hello', 'world'], { cwd });
      expect(outcome).toMatchObject({
        program: '/usr/bin/echo',
        args: ['hello', 'world'],
        exitCode: 0,
        signal: null,
        stdout: 'hello world\n',
        stderr: '',
        timedOut: false,
        outputTruncated: false,
      });
      expect(outcome.durationMs).toBeGreaterThanOrEqual(0);
    });

    it('runs a program found on the child PATH', async () => {
      const outcome = await runner({ allow: ['tfo-hello'], childEnv: { PATH: `${bin}:${SYSTEM_PATH}` } }).run(
        'tfo-hello',
        [],
        { cwd },
      );
      expect(outcome.stdout).toBe('hello from tfo-hello\n');
      expect(outcome.program).toBe(join(bin, 'tfo-hello'));
    });

    it('reports a non-zero exit code and stderr', async () => {
      const outcome = await runner().run('ls', [join(base, 'definitely-missing')], { cwd });
      expect(outcome.exitCode).not.toBe(0);
      expect(outcome.exitCode).not.toBeNull();
      expect(outcome.stderr).toContain('definitely-missing');
      expect(outcome.stdout).toBe('');
    });

    it('runs in the given working directory', async () => {
      const outcome = await runner().run('pwd', [], { cwd });
      expect(outcome.stdout.trim()).toBe(cwd);
    });

    it('refuses a NUL byte in an argument', async () => {
      const error = await rejection(() => runner().run('echo', ['ok', 'bad\0arg'], { cwd }));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.message).toContain('NUL');
    });

    it('passes shell metacharacters to the program literally', async () => {
      const args = [
        '$HOME',
        '; touch pwned',
        '|',
        'cat',
        '`id`',
        '$(id)',
        '*',
        '>',
        'out.txt',
        '&&',
        "'q'",
        '"dq"',
      ];
      const outcome = await runner().run('echo', args, { cwd });
      expect(outcome.stdout).toBe(`${args.join(' ')}\n`);
      expect(readdirSync(cwd)).toEqual([]);
    });

    it('kills a program that runs past its timeout', async () => {
      const outcome = await runner().run('sleep', ['5'], { cwd, timeoutMs: 300 });
      expect(outcome.timedOut).toBe(true);
      expect(outcome.exitCode).toBeNull();
      expect(outcome.signal).toBe('SIGTERM');
    });

    it('uses the configured timeout when none is given', async () => {
      const outcome = await runner({ timeoutMs: 300 }).run('sleep', ['5'], { cwd });
      expect(outcome.timedOut).toBe(true);
    });

    it('refuses a timeout above the configured maximum', async () => {
      const error = await rejection(() =>
        runner({ timeoutMs: 1000 }).run('echo', ['x'], { cwd, timeoutMs: 1001 }),
      );
      expect(error).toBeInstanceOf(LimitExceededError);
      expect(error.message).toContain('1001 ms');
      expect(error.message).toContain('maximum of 1000 ms');
      expect(error.message).toContain('commands.timeoutMs');
    });

    it('caps the output it keeps and says it was truncated', async () => {
      const outcome = await runner({ maxOutputBytes: 1000 }).run('head', ['-c', '200000', '/dev/zero'], {
        cwd,
      });
      // Output past the cap is not kept, so the program is stopped once it overflows.
      expect(outcome.stdout.length).toBe(1000);
      expect(outcome.outputTruncated).toBe(true);
      expect(outcome.timedOut).toBe(false);
    });

    it('does not call output of exactly the cap truncated', async () => {
      const outcome = await runner({ maxOutputBytes: 1000 }).run('head', ['-c', '1000', '/dev/zero'], {
        cwd,
      });
      expect(outcome.stdout.length).toBe(1000);
      expect(outcome.outputTruncated).toBe(false);
    });

    it('gives the child only the environment in childEnv', async () => {
      expect(process.env['TFO_RUNNER_SPEC_SECRET']).toBe('must-not-leak');
      const outcome = await runner({ childEnv: { PATH: SYSTEM_PATH, TFO_VISIBLE: 'yes' } }).run('env', [], {
        cwd,
      });
      expect(outcome.stdout).not.toContain('TFO_RUNNER_SPEC_SECRET');
      expect(outcome.stdout).not.toContain('must-not-leak');
      expect(outcome.stdout.trim().split('\n').sort()).toEqual([`PATH=${SYSTEM_PATH}`, 'TFO_VISIBLE=yes']);
    });

    it('stops the child when the signal is aborted', async () => {
      const controller = new AbortController();
      const running = runner().run('sleep', ['5'], { cwd, timeoutMs: 4000, signal: controller.signal });
      setTimeout(() => controller.abort(), 250);
      const outcome = await running;
      expect(outcome.timedOut).toBe(false);
      expect(outcome.signal).toBe('SIGTERM');
      expect(outcome.exitCode).toBeNull();
    });
  });
});
