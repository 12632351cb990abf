/**
 * Runs allow-listed programs for `execute_command`.
 *
 * Invariants:
 * - off unless the operator names programs (commands.allow);
 * - the program is resolved to an absolute path from the allow list and the child
 *   PATH only, and must match an allow entry by name or by absolute path;
 * - no shell: argv is an array passed as is, so metacharacters are plain text;
 * - the child gets a minimal environment (PATH, HOME, LANG, TZ), never the server's
 *   secrets;
 * - a timeout kills the child (SIGKILL after a grace period), and output is capped.
 */
import { spawn } from 'node:child_process';
import { access, constants, stat } from 'node:fs/promises';
import { basename, delimiter, isAbsolute, join } from 'node:path';
import { LimitExceededError, NotFoundError, PermissionDeniedError, ValidationError } from '@tfo/domain';

/** Settings for {@link CommandRunner}. */
export interface CommandSettings {
  /** Program names or absolute paths that may run. Empty = execute_command disabled. */
  allow: readonly string[];
  /** Default and maximum run time. */
  timeoutMs: number;
  /** Cap on stdout + stderr bytes kept. */
  maxOutputBytes: number;
  /** Environment given to children (the app builds it without secrets). */
  childEnv: Readonly<Record<string, string>>;
}

/** The outcome of a run. */
export interface CommandOutcome {
  program: string;
  args: string[];
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
  outputTruncated: boolean;
}

const GRACE_MS = 500;

/** Executes allow-listed programs without a shell. */
export class CommandRunner {
  constructor(private readonly settings: CommandSettings) {}

  /** True when at least one program is allowed. */
  get enabled(): boolean {
    return this.settings.allow.length > 0;
  }

  /** The allow list as configured. */
  get allowList(): readonly string[] {
    return this.settings.allow;
  }

  /** Finds the absolute path of an allowed program or explains why it may not run. */
  async resolveProgram(command: string): Promise<string> {
    if (!this.enabled) {
      throw new PermissionDeniedError(
        'execute_command is disabled on this server: no programs are allowed (set TELEMETRYFLOW_MCP_COMMANDS_ALLOW to a comma-separated list of program names to enable it).',
      );
    }
    if (command.includes('\0')) throw new ValidationError('The command contains a NUL byte');
    if (/\s/.test(command.trim()) || command.trim() === '') {
      throw new ValidationError(
        `"${command}" is not a program name. Pass the program alone in "command" and each argument as an element of "args" (no shell is used).`,
      );
    }
    const allowed = this.settings.allow;
    const byName = !isAbsolute(command) && !command.includes('/');
    const permitted = byName
      ? allowed.some((a) => a === command || basename(a) === command)
      : allowed.includes(command);
    if (!permitted) {
      throw new PermissionDeniedError(
        `"${command}" is not on the allow list. Allowed programs: ${allowed.join(', ')}`,
        {
          details: { command, allowed: [...allowed] },
        },
      );
    }
    const explicit = allowed.find((a) => isAbsolute(a) && (a === command || basename(a) === command));
    const candidates = explicit
      ? [explicit]
      : (this.settings.childEnv['PATH'] ?? '')
          .split(delimiter)
          .filter(Boolean)
          .map((dir) => join(dir, command));
    for (const candidate of candidates) {
      try {
        const s = await stat(candidate);
        if (!s.isFile()) continue;
        await access(candidate, constants.X_OK);
        return candidate;
      } catch {
        // try the next candidate
      }
    }
    throw new NotFoundError(
      `"${command}" is allowed but was not found as an executable on the server's PATH`,
    );
  }

  /** Runs a program with arguments, a working directory, a timeout and an output cap. */
  async run(
    command: string,
    args: string[],
    options: { cwd: string; timeoutMs?: number; signal?: AbortSignal },
  ): Promise<CommandOutcome> {
    for (const a of args) if (a.includes('\0')) throw new ValidationError('An argument contains a NUL byte');
    const program = await this.resolveProgram(command);
    const requested = options.timeoutMs ?? this.settings.timeoutMs;
    if (requested > this.settings.timeoutMs) {
      throw new LimitExceededError(
        `A timeout of ${requested} ms is over the server's maximum of ${this.settings.timeoutMs} ms (commands.timeoutMs)`,
      );
    }
    if (options.signal?.aborted) {
      throw new LimitExceededError('The request was cancelled before the command started; nothing was run', {
        code: 'COMMAND.CANCELLED',
      });
    }
    const cap = this.settings.maxOutputBytes;
    const started = Date.now();
    return await new Promise<CommandOutcome>((resolvePromise, reject) => {
      const child = spawn(program, args, {
        cwd: options.cwd,
        env: { ...this.settings.childEnv },
        shell: false,
        // Own process group, so a timeout stops the programs the child started as well.
        detached: process.platform !== 'win32',
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let kept = 0;
      let truncated = false;
      let timedOut = false;
      const signalGroup = (signal: NodeJS.Signals) => {
        try {
          if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, signal);
          else child.kill(signal);
        } catch {
          // already gone
        }
      };
      let killed = false;
      const kill = () => {
        if (killed) return;
        killed = true;
        signalGroup('SIGTERM');
        setTimeout(() => signalGroup('SIGKILL'), GRACE_MS).unref();
      };
      const collect = (sink: Buffer[]) => (chunk: Buffer) => {
        const room = cap - kept;
        const part = chunk.length > room ? chunk.subarray(0, Math.max(0, room)) : chunk;
        if (part.length > 0) {
          sink.push(part);
          kept += part.length;
        }
        if (part.length < chunk.length) {
          // Output past the cap is not kept; stop the program rather than let it run on unseen.
          truncated = true;
          kill();
        }
      };
      child.stdout.on('data', collect(out));
      child.stderr.on('data', collect(err));
      const timer = setTimeout(() => {
        timedOut = true;
        kill();
      }, requested);
      const onAbort = () => kill();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      child.on('error', (error) => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        reject(error);
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        resolvePromise({
          program,
          args,
          exitCode: code,
          signal,
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
          durationMs: Date.now() - started,
          timedOut,
          outputTruncated: truncated,
        });
      });
    });
  }
}
