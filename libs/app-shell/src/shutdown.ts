/**
 * The end of a server process: SIGINT and SIGTERM start an orderly shutdown, and an error that
 * escaped every handler is logged while the server keeps serving.
 *
 * The shutdown runs once, whatever asks for it and however often: it logs why, runs the app's
 * own closing (transport, sessions, identity layer, in the app's order), stops the data plane
 * within its grace period, logs `stopped`, flushes the log and exits 0 shortly after, so the last
 * lines reach stderr.
 *
 * Invariants:
 * - The process is reached only through the `host` given (the app passes `process`), so the
 *   library installs nothing by itself.
 * - A failing step of the app's closing is logged, never thrown: the engines are stopped and the
 *   process exits anyway.
 */
import type { Logger } from '@tfo/domain';
import { ENGINE_STOP_GRACE_MS, stopDataPlane } from './data-plane.js';

/** Delay between the last log flush and the exit. */
const EXIT_DELAY_MS = 50;

/** The parts of the process the shutdown uses (`process` has them). */
export interface ShutdownHost {
  /** Subscribes to a signal or to `uncaughtException` / `unhandledRejection`. */
  on(event: string, listener: (value?: unknown) => void): unknown;
  /** Ends the process. */
  exit(code: number): void;
}

/** What {@link handleShutdown} needs. */
export interface ShutdownOptions {
  host: ShutdownHost;
  /** The process logger; flushed before the exit. */
  logger: Logger & { flush(): void };
  /** The app's own closing, given the reason (`SIGTERM`, `stdin closed`, ...). */
  close: (reason: string) => Promise<void>;
  /** The data plane, stopped after the app's closing. */
  plane?: { close(): Promise<void> } | undefined;
  /** Fields added to the `shutting down` line (e.g. requests in flight). */
  describe?: () => Record<string, unknown>;
  /** Longest wait for the engines to stop. Default {@link ENGINE_STOP_GRACE_MS}. */
  engineGraceMs?: number;
}

/**
 * Installs the signal and last-resort error handlers on `options.host` and returns the
 * shutdown, for other reasons to stop (the stdio server stops when stdin ends).
 */
export function handleShutdown(options: ShutdownOptions): (reason: string) => Promise<void> {
  const { host, logger } = options;
  let stopping = false;
  const stop = async (reason: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason, ...options.describe?.() }, 'shutting down');
    await options
      .close(reason)
      .catch((error: unknown) => logger.warn({ err: error }, 'the server stopped with errors'));
    await stopDataPlane(options.plane, logger, options.engineGraceMs ?? ENGINE_STOP_GRACE_MS);
    logger.info('stopped');
    logger.flush();
    setTimeout(() => host.exit(0), EXIT_DELAY_MS).unref();
  };
  host.on('SIGINT', () => void stop('SIGINT'));
  host.on('SIGTERM', () => void stop('SIGTERM'));
  host.on('uncaughtException', (error) => logger.error({ err: error }, 'uncaught exception; still serving'));
  host.on('unhandledRejection', (error) =>
    logger.error({ err: error }, 'unhandled rejection; still serving'),
  );
  return stop;
}
