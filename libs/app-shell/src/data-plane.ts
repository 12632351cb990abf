/**
 * Opening and stopping the data plane of a server process.
 *
 * Invariants:
 * - With `data.enabled` off nothing is loaded: the plane's module (and with it the drivers) is
 *   imported only when the engines are on.
 * - `openDataPlane` returns at once: the engines open in the background, and the protocol is
 *   served meanwhile (queries wait for an engine that is still starting).
 * - `stopDataPlane` never throws and never waits longer than its grace period, so a stuck engine
 *   cannot hold the process at shutdown.
 */
import type { DataPlane } from '@tfo/datasources';
import type { Logger } from '@tfo/domain';
import type { SqlWriteGate } from '@tfo/mcp-tools';
import type { ServerConfig } from '@tfo/runtime';

/** Longest wait for the engines to stop, by default. */
export const ENGINE_STOP_GRACE_MS = 10_000;

/** A started data plane and, when writes are enabled, the write path of pg_query / ch_query. */
export interface OpenedDataPlane {
  plane: DataPlane;
  writeGate?: SqlWriteGate;
}

/**
 * Starts the data plane of `config` (engines' data in `dataDir`), or resolves to undefined when
 * `data.enabled` is off.
 */
export async function openDataPlane(
  config: ServerConfig,
  logger: Logger,
  dataDir: string,
): Promise<OpenedDataPlane | undefined> {
  if (!config.data.enabled) return undefined;
  const { createDataPlane, createWriteGate } = await import('./plane.js');
  const plane = createDataPlane(config, logger, dataDir).start();
  const writeGate = createWriteGate(config, plane);
  return { plane, ...(writeGate ? { writeGate } : {}) };
}

/** Stops the engines of `plane` (if any), waiting at most `graceMs`; a failure is logged, not thrown. */
export async function stopDataPlane(
  plane: Pick<DataPlane, 'close'> | undefined,
  logger: Logger,
  graceMs = ENGINE_STOP_GRACE_MS,
): Promise<void> {
  if (!plane) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const grace = new Promise<void>((done) => {
    timer = setTimeout(done, graceMs);
    timer.unref();
  });
  await Promise.race([
    plane.close().catch((error: unknown) => logger.warn({ err: error }, 'engines stopped with errors')),
    grace,
  ]);
  clearTimeout(timer);
}
