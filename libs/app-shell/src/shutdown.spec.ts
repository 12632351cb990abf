import { EventEmitter } from 'node:events';
import { describe, expect, it } from '@jest/globals';
import type { LogFn, Logger, LogLevel } from '@tfo/domain';
import { stopDataPlane } from './data-plane.js';
import { handleShutdown, type ShutdownHost, type ShutdownOptions } from './shutdown.js';

interface Line {
  level: LogLevel;
  fields: Record<string, unknown>;
  message: string | undefined;
}

const LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

type RecordingLogger = Logger & { lines: Line[]; flush(): void };

/** A logger port that keeps its lines and notes its flushes in `events`. */
function recordingLogger(events: string[] = []): RecordingLogger {
  const lines: Line[] = [];
  const at =
    (level: LogLevel): LogFn =>
    (first: object | string, message?: string) =>
      lines.push(
        typeof first === 'string'
          ? { level, fields: {}, message: first }
          : { level, fields: { ...first }, message },
      );
  const methods = Object.fromEntries(LEVELS.map((level) => [level, at(level)])) as Pick<Logger, LogLevel>;
  const logger: RecordingLogger = {
    ...methods,
    lines,
    child: () => logger,
    flush: () => events.push('flush'),
  };
  return logger;
}

/** The process as the shutdown sees it: events in, the exit code out. */
class FakeProcess extends EventEmitter implements ShutdownHost {
  readonly exitCodes: number[] = [];
  readonly exited: Promise<number>;
  private onExit: (code: number) => void = () => undefined;

  constructor(private readonly events: string[] = []) {
    super();
    this.exited = new Promise((done) => (this.onExit = done));
  }

  exit(code: number): void {
    this.events.push(`exit ${code}`);
    this.exitCodes.push(code);
    this.onExit(code);
  }
}

/** A shutdown on a fake process whose closing steps are noted in `events`. */
function shutdownWith(options: Partial<ShutdownOptions> = {}) {
  const events: string[] = [];
  const host = new FakeProcess(events);
  const logger = recordingLogger(events);
  const stop = handleShutdown({
    host,
    logger,
    close: async (reason) => {
      events.push(`close ${reason}`);
    },
    plane: {
      close: async () => {
        events.push('plane closed');
      },
    },
    ...options,
  });
  return { events, host, logger, stop };
}

describe('handleShutdown', () => {
  it('closes the app, then the engines, then flushes and exits 0, once however often it is asked', async () => {
    const { events, host, logger } = shutdownWith({ describe: () => ({ inFlight: 3 }) });
    host.emit('SIGTERM');
    host.emit('SIGINT');
    host.emit('SIGTERM');
    expect(await host.exited).toBe(0);
    expect(events).toEqual(['close SIGTERM', 'plane closed', 'flush', 'exit 0']);
    expect(host.exitCodes).toEqual([0]);
    expect(logger.lines.map((l) => l.message)).toEqual(['shutting down', 'stopped']);
    expect(logger.lines[0]?.fields).toEqual({ reason: 'SIGTERM', inFlight: 3 });
  });

  it('returns the shutdown for other reasons to stop', async () => {
    const { events, host, stop } = shutdownWith({ plane: undefined });
    await stop('stdin closed');
    host.emit('SIGTERM');
    expect(await host.exited).toBe(0);
    expect(events).toEqual(['close stdin closed', 'flush', 'exit 0']);
  });

  it('still stops the engines and exits when the app fails to close', async () => {
    const { events, host, logger } = shutdownWith({
      close: async () => {
        throw new Error('listener already closed');
      },
    });
    host.emit('SIGINT');
    expect(await host.exited).toBe(0);
    expect(events).toEqual(['plane closed', 'flush', 'exit 0']);
    expect(logger.lines.find((l) => l.level === 'warn')?.message).toBe('the server stopped with errors');
  });

  it('logs an error that escaped every handler and keeps serving', () => {
    const host = new FakeProcess();
    const logger = recordingLogger();
    handleShutdown({ host, logger, close: async () => undefined });
    host.emit('uncaughtException', new Error('thrown late'));
    host.emit('unhandledRejection', new Error('rejected late'));
    expect(logger.lines.map((l) => [l.level, l.message])).toEqual([
      ['error', 'uncaught exception; still serving'],
      ['error', 'unhandled rejection; still serving'],
    ]);
    expect(host.exitCodes).toEqual([]);
  });
});

describe('stopDataPlane', () => {
  it('does nothing without a plane', async () => {
    const logger = recordingLogger();
    await stopDataPlane(undefined, logger);
    expect(logger.lines).toEqual([]);
  });

  it('logs a failing close instead of throwing', async () => {
    const logger = recordingLogger();
    await stopDataPlane({ close: async () => Promise.reject(new Error('engine gone')) }, logger);
    expect(logger.lines.map((l) => [l.level, l.message])).toEqual([['warn', 'engines stopped with errors']]);
  });

  it('gives up on an engine that never stops once the grace period is over', async () => {
    const logger = recordingLogger();
    await expect(
      stopDataPlane({ close: () => new Promise<void>(() => undefined) }, logger, 5),
    ).resolves.toBeUndefined();
  });
});
