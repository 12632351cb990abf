/**
 * PostgreSQL implementation of the domain's ApiKeyStore over the platform's `api_keys` table.
 *
 * Invariants:
 * - Plain keys are `tfo_` + 32 random bytes in base64url (47 characters). Only their SHA-256
 *   (lower-case hex, {@link hashApiKey}) and first 13 characters are stored, as the demo
 *   estate's keys are; the plain key leaves `issue` once, in its result.
 * - A key is issued only for an organization that exists: the insert selects the organization
 *   row, so a missing one is a NotFoundError (`DATASOURCE.ORGANIZATION_NOT_FOUND`) rather than
 *   a foreign-key failure.
 * - `touch` writes `last_used_at` at most once a minute per key: guarded in SQL so several
 *   replicas together write about once a minute, and skipped without a round trip while the
 *   last stored value this process knows of is less than a minute old (bounded map).
 * - Every value is a bound parameter. The store uses the writer (the schema owner's pool):
 *   the read-only role may not read `key_hash`.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  NotFoundError,
  ValidationError,
  type ApiKeyRecord,
  type ApiKeyStore,
  type IssueApiKeyInput,
  type IssuedApiKey,
} from '@tfo/domain';
import type { PostgresWriter } from './postgres-datasource.js';

/** What every plain key starts with. */
export const API_KEY_PREFIX = 'tfo_';

/** How many leading characters of a plain key are stored as `key_prefix`. */
export const API_KEY_PREFIX_LENGTH = 13;

/** Shortest interval between two writes of one key's `last_used_at`. */
export const API_KEY_TOUCH_INTERVAL_MS = 60_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const MAX_NAME_LENGTH = 200;

/** SHA-256 of a plain key as stored in `api_keys.key_hash` (lower-case hex). */
export function hashApiKey(plainKey: string): string {
  return createHash('sha256').update(plainKey, 'utf8').digest('hex');
}

/** A new plain key: `tfo_` + 32 random bytes in base64url. */
export function newPlainApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString('base64url');
}

interface ApiKeyRow extends Record<string, unknown> {
  id: string;
  organization_id: string;
  name: string;
  key_prefix: string;
  key_hash: string;
  scopes: string[];
  created_by: string | null;
  created_at: Date;
  last_used_at: Date | null;
  expires_at: Date | null;
  revoked_at: Date | null;
}

const COLUMNS = `id, organization_id, name, key_prefix, key_hash, scopes, created_by, created_at,
  last_used_at, expires_at, revoked_at`;

function toRecord(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    organizationId: row.organization_id,
    name: row.name,
    keyPrefix: row.key_prefix,
    keyHash: row.key_hash,
    scopes: row.scopes,
    ...(row.created_by === null ? {} : { createdBy: row.created_by }),
    createdAt: row.created_at,
    ...(row.last_used_at === null ? {} : { lastUsedAt: row.last_used_at }),
    ...(row.expires_at === null ? {} : { expiresAt: row.expires_at }),
    ...(row.revoked_at === null ? {} : { revokedAt: row.revoked_at }),
  };
}

function requireUuid(field: string, value: string): string {
  if (!UUID.test(value)) {
    throw new ValidationError(`${field} must be a UUID, got "${value.slice(0, 64)}"`, {
      code: field === 'organizationId' ? 'DATASOURCE.INVALID_ORGANIZATION_ID' : 'VALIDATION.INVALID_ARGUMENT',
    });
  }
  return value;
}

/** API keys in `api_keys`; see the module header. */
export class PostgresApiKeyStore implements ApiKeyStore {
  /** Last `touch` written by this process, per key id (insertion order = age). */
  private readonly touched = new Map<string, number>();

  /**
   * Uses `writer` (the schema owner's pool). `maxTracked` bounds the memory of the touch
   * coalescing (oldest entries are forgotten first; the SQL guard still holds).
   */
  constructor(
    private readonly writer: PostgresWriter,
    private readonly maxTracked = 10_000,
  ) {}

  /** The key whose hash is `hash` (revoked and expired keys included), or undefined. */
  async findByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    if (!SHA256_HEX.test(hash)) return undefined;
    const { rows } = await this.writer.execute<ApiKeyRow>(
      `SELECT ${COLUMNS} FROM api_keys WHERE key_hash = $1`,
      [hash],
    );
    return rows[0] === undefined ? undefined : toRecord(rows[0]);
  }

  /** Issues a key for an existing organization; see the module header. */
  async issue(input: IssueApiKeyInput): Promise<IssuedApiKey> {
    const organizationId = requireUuid('organizationId', input.organizationId);
    const createdBy = input.createdBy === undefined ? null : requireUuid('createdBy', input.createdBy);
    const name = input.name.trim();
    if (name === '' || name.length > MAX_NAME_LENGTH) {
      throw new ValidationError(`An API key needs a name of 1 to ${MAX_NAME_LENGTH} characters`);
    }
    if (input.expiresAt !== undefined && Number.isNaN(input.expiresAt.getTime())) {
      throw new ValidationError('expiresAt is not a valid date');
    }
    const scopes = input.scopes.map((s) => s.trim()).filter((s) => s !== '');
    const plainKey = newPlainApiKey();
    const { rows } = await this.writer.execute<ApiKeyRow>(
      `INSERT INTO api_keys (organization_id, name, key_prefix, key_hash, scopes, created_by, expires_at)
       SELECT o.id, $2, $3, $4, $5::text[], $6::uuid, $7::timestamptz FROM organizations o WHERE o.id = $1::uuid
       RETURNING ${COLUMNS}`,
      [
        organizationId,
        name,
        plainKey.slice(0, API_KEY_PREFIX_LENGTH),
        hashApiKey(plainKey),
        scopes,
        createdBy,
        input.expiresAt ?? null,
      ],
    );
    const row = rows[0];
    if (row === undefined) {
      throw new NotFoundError(
        `Organization ${organizationId} does not exist; an API key can only be issued for an existing organization.`,
        { code: 'DATASOURCE.ORGANIZATION_NOT_FOUND', details: { organizationId } },
      );
    }
    return { record: toRecord(row), plainKey };
  }

  /** Writes `last_used_at` unless it was written less than a minute before `at`. */
  async touch(id: string, at: Date): Promise<void> {
    const atMs = at.getTime();
    if (!UUID.test(id) || Number.isNaN(atMs)) return;
    const last = this.touched.get(id);
    if (last !== undefined && atMs - last < API_KEY_TOUCH_INTERVAL_MS) return;
    // Marked before the round trip so concurrent requests of one key write once.
    this.remember(id, atMs);
    const { rows } = await this.writer.execute<{ at: Date | null }>(
      `WITH written AS (
         UPDATE api_keys SET last_used_at = $2::timestamptz
          WHERE id = $1::uuid
            AND (last_used_at IS NULL OR last_used_at <= $2::timestamptz - make_interval(secs => $3::double precision))
          RETURNING last_used_at
       )
       SELECT COALESCE((SELECT last_used_at FROM written),
                       (SELECT last_used_at FROM api_keys WHERE id = $1::uuid)) AS at`,
      [id, at, API_KEY_TOUCH_INTERVAL_MS / 1000],
    );
    // Another replica may have written more recently than this process: count the minute from
    // the stored value, so this process neither writes within it nor waits past it.
    const stored = rows[0]?.at;
    if (stored) this.remember(id, stored.getTime());
  }

  private remember(id: string, atMs: number): void {
    this.touched.delete(id);
    this.touched.set(id, atMs);
    if (this.touched.size > this.maxTracked) {
      const oldest = this.touched.keys().next().value as string;
      this.touched.delete(oldest);
    }
  }
}
