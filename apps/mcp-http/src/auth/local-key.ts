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
 * - With a key file (in the engines' data directory, readable by its owner only), the key of
 *   an earlier start is used again while it is valid for the organization for at least
 *   {@link LOCAL_KEY_RENEW_MS} more, so a client configured once keeps working across restarts
 *   and keys do not pile up; otherwise a new one is issued and written there.
 */
import { isTfoError, type ApiKeyStore, type Clock, type Logger } from '@tfo/domain';
import type { DemoStatus, EngineStatus } from '@tfo/datasources';
import { ALL_SCOPES } from '@tfo/mcp-tools';

/** Lifetime of a local key. */
export const LOCAL_KEY_TTL_MS = 30 * 24 * 3_600_000;

/** A stored local key with less validity left than this is replaced at start. */
export const LOCAL_KEY_RENEW_MS = 7 * 24 * 3_600_000;

/** Where the plain local key is kept between starts. */
export interface LocalKeyFile {
  read(): Promise<string | undefined>;
  write(plainKey: string): Promise<void>;
}

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
  /** Keeps the key between starts; absent, every start issues a new one. */
  keyFile?: LocalKeyFile;
  /** SHA-256 of a plain key, as the store keeps it. */
  hash?: (plainKey: string) => string;
}

/** The stored key, when it is still a valid key of `organizationId` for a while. */
async function storedKey(inputs: LocalKeyInputs, now: Date): Promise<string | undefined> {
  const { keyFile, hash, store, organizationId } = inputs;
  if (!keyFile || !hash) return undefined;
  const plain = (await keyFile.read().catch(() => undefined))?.trim();
  if (!plain) return undefined;
  const record = await store.findByHash(hash(plain));
  if (!record || record.organizationId !== organizationId || record.revokedAt) return undefined;
  if (!record.scopes.includes(ALL_SCOPES)) return undefined;
  if (record.expiresAt && record.expiresAt.getTime() - now.getTime() < LOCAL_KEY_RENEW_MS) return undefined;
  inputs.logger.info(
    { keyId: record.id, keyPrefix: record.keyPrefix },
    'using the local API key of an earlier start',
  );
  return plain;
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
        const kept = await storedKey(inputs, now);
        if (kept !== undefined) return kept;
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
        await inputs.keyFile
          ?.write(plainKey)
          .catch((error: unknown) =>
            logger.warn(
              { err: error instanceof Error ? error.message : String(error) },
              'could not keep the local API key',
            ),
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
