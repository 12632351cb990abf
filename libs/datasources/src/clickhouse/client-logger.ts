/**
 * Bridges `@clickhouse/client`'s logger contract to our {@link Logger} port.
 *
 * Invariant: the driver never writes to stdout. Its default `DefaultLogger` prints to the
 * console, so every client this library builds passes `log: { LoggerClass }` created here.
 * The driver instantiates the class with `new LoggerClass()` (no arguments), so the target
 * logger is captured in a closure.
 */
import type {
  Logger as ClickHouseDriverLogger,
  ErrorLogParams,
  LogParams,
  WarnLogParams,
} from '@clickhouse/client';
import type { Logger } from '@tfo/domain';

/** The class shape `@clickhouse/client` accepts as `log.LoggerClass`. */
export type ClickHouseLoggerClass = new () => ClickHouseDriverLogger;

/**
 * Returns a logger class for `createClient({ log: { LoggerClass } })` that writes the
 * driver's messages through `logger` (bound with `component: 'clickhouse-client'`).
 */
export function clickHouseLoggerClass(logger: Logger): ClickHouseLoggerClass {
  const target = logger.child({ component: 'clickhouse-client' });
  const fields = (p: LogParams, err?: Error): object => ({
    module: p.module,
    ...(p.args === undefined ? {} : { args: p.args }),
    ...(err === undefined ? {} : { err }),
  });
  return class RoutedClickHouseLogger implements ClickHouseDriverLogger {
    trace(p: LogParams): void {
      target.trace(fields(p), p.message);
    }
    debug(p: LogParams): void {
      target.debug(fields(p), p.message);
    }
    info(p: LogParams): void {
      target.info(fields(p), p.message);
    }
    warn(p: WarnLogParams): void {
      target.warn(fields(p, p.err), p.message);
    }
    error(p: ErrorLogParams): void {
      target.error(fields(p, p.err), p.message);
    }
  };
}
