/**
 * Turns values read from a database driver into plain JSON values, so a tool answer is
 * always valid JSON and its structured content survives any serializer.
 *
 * Invariants:
 * - The output contains only null, booleans, finite numbers, strings, arrays and plain
 *   objects; it never throws.
 * - BigInt becomes its decimal string (no precision is lost), Date its ISO-8601 string (an
 *   invalid Date becomes null), binary data (Buffer, typed arrays, ArrayBuffer) the
 *   PostgreSQL hex form `\x0a1b...`, NaN and ±Infinity null, undefined null.
 * - Objects with a `toJSON` method are converted through it (as JSON.stringify would); a
 *   reference cycle is cut with the string "[circular]".
 *
 * Decision: binary as `\x` hex rather than base64, because that is how PostgreSQL itself
 * prints bytea and a model recognises it as bytes.
 */

/** A value that JSON.stringify renders losslessly. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

function hex(bytes: Uint8Array): string {
  return `\\x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`;
}

function convert(value: unknown, seen: WeakSet<object>): JsonValue {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      return value.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return null;
    default:
      break;
  }
  if (value === null) return null;
  const object = value as object;
  if (object instanceof Date) return Number.isNaN(object.getTime()) ? null : object.toISOString();
  if (object instanceof Uint8Array) return hex(object);
  if (ArrayBuffer.isView(object)) {
    return hex(new Uint8Array(object.buffer, object.byteOffset, object.byteLength));
  }
  if (object instanceof ArrayBuffer) return hex(new Uint8Array(object));
  if (seen.has(object)) return '[circular]';
  seen.add(object);
  try {
    if (Array.isArray(object)) return object.map((item) => convert(item, seen));
    if (object instanceof Map) {
      const out: Record<string, JsonValue> = {};
      for (const [key, item] of object) out[String(key)] = convert(item, seen);
      return out;
    }
    if (object instanceof Set) return [...object].map((item) => convert(item, seen));
    const toJSON = (object as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return convert(toJSON.call(object), seen);
    const out: Record<string, JsonValue> = {};
    for (const [key, item] of Object.entries(object)) out[key] = convert(item, seen);
    return out;
  } catch {
    return null;
  } finally {
    seen.delete(object);
  }
}

/** Converts any driver value into a {@link JsonValue}; see the module header for the rules. */
export function toJsonSafe(value: unknown): JsonValue {
  return convert(value, new WeakSet());
}
