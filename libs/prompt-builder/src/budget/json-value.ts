/**
 * Turns whatever a collector put in `context.data` into plain JSON values before
 * the budget is applied, so every later step works on one closed set of shapes.
 *
 * Invariants:
 * - The result is what `JSON.stringify` would write, made total: Dates become ISO
 *   strings (an invalid Date becomes null), bigints become decimal strings, Maps
 *   become objects, Sets and typed arrays become arrays or a size note, values with
 *   `toJSON` are asked for it, non-finite numbers become null, and properties that
 *   JSON drops (undefined, functions, symbols) are dropped.
 * - Never throws: a cycle becomes the string `[circular]`, nesting deeper than
 *   {@link MAX_NESTING} becomes `[nested too deeply]`, and a throwing `toJSON` or
 *   getter becomes `[unreadable]`.
 */

/** A JSON value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/** Nesting beyond this depth is replaced by a note; real telemetry is far shallower. */
export const MAX_NESTING = 64;

/** Converts `value` to plain JSON values; `undefined` when JSON would drop it entirely. */
export function toJsonValue(value: unknown): JsonValue | undefined {
  return convert(value, new Set<object>(), 0);
}

/** True for a JSON object (not null, not an array). */
export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function convert(value: unknown, ancestors: Set<object>, depth: number): JsonValue | undefined {
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
      return undefined;
    default:
      break;
  }
  if (value === null) return null;
  const object = value as object;
  if (object instanceof Date) {
    return Number.isNaN(object.getTime()) ? null : object.toISOString();
  }
  if (ancestors.has(object)) return '[circular]';
  if (depth >= MAX_NESTING) return '[nested too deeply]';
  ancestors.add(object);
  try {
    return convertObject(object, ancestors, depth);
  } catch {
    return '[unreadable]';
  } finally {
    ancestors.delete(object);
  }
}

function convertObject(object: object, ancestors: Set<object>, depth: number): JsonValue | undefined {
  if (ArrayBuffer.isView(object)) return `[binary data, ${object.byteLength} bytes]`;
  if (object instanceof ArrayBuffer) return `[binary data, ${object.byteLength} bytes]`;
  const withToJson = object as { toJSON?: unknown };
  if (typeof withToJson.toJSON === 'function') {
    const replaced: unknown = (withToJson.toJSON as () => unknown).call(object);
    if (replaced === object) return '[unreadable]';
    return convert(replaced, ancestors, depth + 1);
  }
  if (Array.isArray(object)) {
    return object.map((item: unknown) => convert(item, ancestors, depth + 1) ?? null);
  }
  if (object instanceof Set) {
    return [...object].map((item: unknown) => convert(item, ancestors, depth + 1) ?? null);
  }
  const out: JsonObject = {};
  const entries: Iterable<[unknown, unknown]> =
    object instanceof Map ? object.entries() : Object.entries(object);
  for (const [key, item] of entries) {
    const converted = convert(item, ancestors, depth + 1);
    if (converted !== undefined) setKey(out, String(key), converted);
  }
  return out;
}

/**
 * Sets an own, enumerable property, also for the key `__proto__`, which a plain
 * assignment would turn into a prototype change instead of a field.
 */
export function setKey(object: JsonObject, key: string, value: JsonValue): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}
