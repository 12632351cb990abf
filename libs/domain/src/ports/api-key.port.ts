/**
 * API key port: the platform's `api_keys` table as the HTTP server needs it — find a key by
 * the hash of what a caller presented, issue a new key, and record that a key was used.
 * Implemented over PostgreSQL by @tfo/datasources.
 *
 * Invariants:
 * - A plain key is never stored and never returned again after `issue`: the table keeps its
 *   SHA-256 (lower-case hex) and a short prefix people can recognise it by.
 * - A record says whether a key is revoked or expired; deciding what that means for a request
 *   is the caller's business (the store returns such keys as they are).
 * - `touch` is cheap to call on every request: an implementation writes `last_used_at` at most
 *   about once a minute per key. Callers need not wait for it; a failed touch loses one
 *   timestamp and nothing else.
 */

/** One row of `api_keys`, without anything secret. */
export interface ApiKeyRecord {
  /** The key's id (UUID). */
  id: string;
  /** The organization every request made with the key acts for (UUID). */
  organizationId: string;
  /** Name given at creation, e.g. `ci-deployments`. */
  name: string;
  /** The first characters of the plain key, shown to people to recognise it. */
  keyPrefix: string;
  /** SHA-256 of the plain key, lower-case hex. */
  keyHash: string;
  /** Granted scope names as stored (platform scopes and `mcp:*` scopes alike). */
  scopes: readonly string[];
  /** The user who created the key, when known. */
  createdBy?: string;
  createdAt: Date;
  /** Last time the key was used (coalesced to about once a minute). */
  lastUsedAt?: Date;
  /** After this instant the key is no longer accepted. */
  expiresAt?: Date;
  /** When set, the key was revoked at this instant and is no longer accepted. */
  revokedAt?: Date;
}

/** What {@link ApiKeyStore.issue} needs. */
export interface IssueApiKeyInput {
  /** Organization (UUID) the key acts for; it must exist. */
  organizationId: string;
  /** A name people recognise the key by. */
  name: string;
  /** Scope names to grant, e.g. `['mcp:*']` or `['mcp:telemetry:read']`. */
  scopes: readonly string[];
  /** When the key stops being accepted; none: it does not expire. */
  expiresAt?: Date;
  /** The user (UUID) creating the key, when there is one. */
  createdBy?: string;
}

/** A freshly issued key: the record and the plain key, which exists only in this value. */
export interface IssuedApiKey {
  record: ApiKeyRecord;
  /** `tfo_` followed by 32 random bytes in base64url. Show it once; it cannot be recovered. */
  plainKey: string;
}

/** Finds, issues and touches API keys. */
export interface ApiKeyStore {
  /** The key whose SHA-256 (lower-case hex) is `hash`, revoked and expired ones included; or undefined. */
  findByHash(hash: string): Promise<ApiKeyRecord | undefined>;
  /** Creates a key for an existing organization and returns it with its plain text. */
  issue(input: IssueApiKeyInput): Promise<IssuedApiKey>;
  /** Records that key `id` was used at `at` (coalesced: at most about once a minute per key). */
  touch(id: string, at: Date): Promise<void>;
}
