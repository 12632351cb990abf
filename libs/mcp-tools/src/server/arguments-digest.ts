/**
 * The digest under which a tool call's arguments are recorded: SHA-256 (hex) of their
 * canonical JSON (object keys sorted at every depth), so equal arguments give equal digests
 * whatever the key order, and the arguments themselves (paths, queries, secrets) are never stored.
 */
import { createHash } from 'node:crypto';

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v)]));
  }
  return value;
}

/** SHA-256 hex of the canonical JSON of `args` (`undefined` digests as `null`). */
export function argumentsDigest(args: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(args ?? null)) ?? 'null')
    .digest('hex');
}
