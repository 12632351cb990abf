/**
 * The local key: on a loopback bind with the embedded PostgreSQL, an API key for the demo
 * organization is issued at start so a person on this machine can connect a client at once.
 *
 * Invariants:
 * - The wait for PostgreSQL is bounded; when it does not open in time, or the organization
 *   does not exist (and no demo estate is on its way to create it), there is no local key and
 *   the log says why. Start-up never fails for it.
 * - The key grants `mcp:*`, is named `local-<ISO time>` and expires after 30 days.
 * - The plain key is returned, never logged: the log names the key's id and prefix only.
 */
import { isTfoError, type ApiKeyStore, type Clock, type Logger } from '@tfo/domain';
import type { DemoStatus, EngineStatus } from '@tfo/datasources';
import { ALL_SCOPES } from '@tfo/mcp-tools';

/** Lifetime of a local key. */
export const LOCAL_KEY_TTL_MS = 30 * 24 * 3_600_000;

/** What {@link issueLocalKey} needs. */
export interface LocalKeyInputs {
  store: ApiKeyStore;
  /** The organization the key acts for (the demo organization). */
  organizationId: string;
  /** PostgreSQL's state in the data plane. */
  postgres: () => EngineStatus;
  /** The demo estate's state (it creates the demo organization). */
  demo: () => DemoStatus;
  logger: Logger;
  clock: Clock;
  /** Longest wait for PostgreSQL (and the organization), in milliseconds. */
  waitMs: number;
  /** Time between two looks at the plane. Default 250 ms. */
  pollMs?: number;
  /** Waits `ms` (injectable for tests). Default: a timer. */
  sleep?: (ms: number) => Promise<void>;
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Issues the local key once PostgreSQL is open; undefined when it cannot (see the module header). */
export async function issueLocalKey(inputs: LocalKeyInputs): Promise<string | undefined> {
  const { store, organizationId, logger, clock } = inputs;
  const pollMs = inputs.pollMs ?? 250;
  const sleep = inputs.sleep ?? defaultSleep;
  const deadline = clock.now().getTime() + inputs.waitMs;
  let waitingFor = 'PostgreSQL to open';
  for (;;) {
    const postgres = inputs.postgres();
    if (postgres.state === 'closed') return undefined;
    if (postgres.state === 'ready') {
      if (postgres.kind !== 'embedded') {
        logger.debug('PostgreSQL is a server, not the embedded engine: no local API key');
        return undefined;
      }
      const now = clock.now();
      try {
        const { record, plainKey } = await store.issue({
          organizationId,
          name: `local-${now.toISOString()}`,
          scopes: [ALL_SCOPES],
          expiresAt: new Date(now.getTime() + LOCAL_KEY_TTL_MS),
        });
        logger.info(
          { keyId: record.id, keyPrefix: record.keyPrefix, expiresAt: record.expiresAt?.toISOString() },
          'issued a local API key for this machine',
        );
        return plainKey;
      } catch (error) {
        const demo = inputs.demo().state;
        const missing = isTfoError(error) && error.code === 'DATASOURCE.ORGANIZATION_NOT_FOUND';
        if (!missing || (demo !== 'waiting' && demo !== 'loading')) {
          logger.warn(
            { organizationId, err: error instanceof Error ? error.message : String(error) },
            'could not issue a local API key',
          );
          return undefined;
        }
        waitingFor = `the demo estate to create organization ${organizationId}`;
      }
    }
    if (clock.now().getTime() >= deadline) {
      logger.warn(
        { waitedMs: inputs.waitMs },
        `no local API key: still waiting for ${waitingFor}; connect with another credential`,
      );
      return undefined;
    }
    await sleep(pollMs);
  }
}
