/**
 * Fits a JSON value into a character budget while keeping it valid JSON.
 *
 * TFO-Platform cuts the serialized context at 10,000 characters, which leaves
 * JSON the model cannot parse and drops whatever comes last, however important.
 * Here the value is shortened structurally instead, loosest step first, and the
 * first step that fits wins:
 *   1. cut long strings (marking each cut inside the string);
 *   2. keep fewer rows per array: rows that show trouble and rows with the
 *      highest values first, found by binary search for the most rows that fit;
 *   3. drop verbose fields (bodies, messages, label bags, query text);
 *   4. keep fewer fields per object (identifying fields last) and flatten deep
 *      nesting into a size note;
 *   5. as a last resort, an empty object or array of the same kind.
 *
 * Invariants:
 * - The returned text always parses with `JSON.parse`, and its measured length
 *   (after the optional `encode`) never exceeds `maxChars` when `maxChars` is at
 *   least {@link MIN_FIT_CHARS}.
 * - Whenever anything was left out, `omissions` says what, where (path patterns
 *   with `[]` for array items) and how much; when nothing was, it is empty.
 * - Deterministic: the same input and budget give the same output.
 */
import { groupingField, isVerboseField, keysToKeep, rowsToKeep } from './importance.js';
import { isJsonObject, setKey, toJsonValue, type JsonObject, type JsonValue } from './json-value.js';
import { safeSlice } from '../fence.js';

/** The smallest budget the guarantees hold for: room for `{}` plus slack. */
export const MIN_FIT_CHARS = 16;

/** What kind of content an omission record describes. */
export type OmissionKind = 'rows' | 'fields' | 'keys' | 'strings' | 'nested' | 'everything';

/** How omitted rows divide over the values of one identifying field. */
export interface OmissionBreakdown {
  /** The field the rows were grouped by, e.g. `service_name`. */
  readonly field: string;
  /** The largest groups, largest first: value and number of omitted rows. */
  readonly groups: readonly (readonly [string, number])[];
  /** Omitted rows in the remaining groups or without the field. */
  readonly other: number;
}

/** One kind of content left out at one place in the value. */
export interface Omission {
  /** Path pattern from the root, e.g. `data.logs` or `data.logs[].body`. */
  readonly path: string;
  /** What was left out. */
  readonly kind: OmissionKind;
  /** How many rows, field values, keys, strings or nested values were left out or cut. */
  readonly count: number;
  /** For `rows`: how many rows there were in total at this path. */
  readonly total?: number;
  /** For `fields`: the names of the fields dropped. */
  readonly fields?: readonly string[];
  /** For `rows` of objects: how the omitted rows divide by service, host, ... */
  readonly breakdown?: OmissionBreakdown;
}

/** Options of {@link fitJson}. */
export interface FitJsonOptions {
  /** The most characters the (encoded) JSON text may have. */
  readonly maxChars: number;
  /** Name of the root in omission paths; default `data`. */
  readonly rootName?: string;
  /** Transforms the JSON text before it is measured and returned (e.g. fence escaping). */
  readonly encode?: (json: string) => string;
}

/** The outcome of {@link fitJson}. */
export interface FitJsonResult {
  /** Valid JSON text (encoded when `encode` was given) within the budget. */
  readonly json: string;
  /** True when anything was left out or cut. */
  readonly shortened: boolean;
  /** What was left out; empty when nothing was. */
  readonly omissions: readonly Omission[];
}

interface Limits {
  readonly maxString: number;
  readonly maxRows: number;
  readonly dropVerbose: boolean;
  readonly maxKeys: number;
  readonly maxDepth: number;
}

interface Step extends Omit<Limits, 'maxRows'> {
  /** Fewest rows per array this step may keep; Infinity: this step never drops rows. */
  readonly minRows: number;
}

const ALL = Number.POSITIVE_INFINITY;

/** The ladder of steps, loosest first. */
const STEPS: readonly Step[] = [
  { maxString: 2000, dropVerbose: false, maxKeys: ALL, maxDepth: ALL, minRows: ALL },
  { maxString: 500, dropVerbose: false, maxKeys: ALL, maxDepth: ALL, minRows: ALL },
  { maxString: 500, dropVerbose: false, maxKeys: ALL, maxDepth: ALL, minRows: 50 },
  { maxString: 200, dropVerbose: false, maxKeys: ALL, maxDepth: ALL, minRows: 20 },
  { maxString: 120, dropVerbose: false, maxKeys: ALL, maxDepth: ALL, minRows: 10 },
  { maxString: 80, dropVerbose: true, maxKeys: ALL, maxDepth: ALL, minRows: 5 },
  { maxString: 60, dropVerbose: true, maxKeys: 16, maxDepth: 8, minRows: 3 },
  { maxString: 40, dropVerbose: true, maxKeys: 8, maxDepth: 4, minRows: 1 },
  { maxString: 24, dropVerbose: true, maxKeys: 4, maxDepth: 2, minRows: 0 },
];

/** Omitted-row groups named in a breakdown; the rest are counted as "other". */
const BREAKDOWN_GROUPS = 3;

/**
 * Shortens `value` (any value a collector may produce; it is first reduced to
 * plain JSON) until its JSON text fits `maxChars`, keeping what matters most and
 * recording every omission. See the module header for the order of steps.
 */
export function fitJson(value: unknown, options: FitJsonOptions): FitJsonResult {
  const encode = options.encode ?? ((json: string) => json);
  const root = options.rootName ?? 'data';
  const maxChars = Math.max(MIN_FIT_CHARS, Math.floor(options.maxChars));
  const json = toJsonValue(value) ?? null;

  const whole = encode(JSON.stringify(json));
  if (whole.length <= maxChars) return { json: whole, shortened: false, omissions: [] };

  const longest = longestArray(json);
  for (const step of STEPS) {
    const attempt = (maxRows: number) => prune(json, root, { ...step, maxRows }, encode, maxChars);
    if (step.minRows === ALL || step.minRows >= longest) {
      const loose = attempt(ALL);
      if (loose) return loose;
      continue;
    }
    // Size only grows with the row limit, so try the fewest rows first: when even
    // that does not fit, neither does anything looser at this step.
    const tight = attempt(step.minRows);
    if (!tight) continue;
    // Binary search for the most rows that fit: lo always fits, hi never does.
    let lo = step.minRows;
    let best = tight;
    let hi = longest + 1;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      const candidate = attempt(mid >= longest ? ALL : mid);
      if (candidate) {
        lo = mid;
        best = candidate;
      } else {
        hi = mid;
      }
    }
    return best;
  }
  return emptyOf(json, root, encode);
}

/** The last resort: an empty value of the root's kind, with one omission for everything. */
function emptyOf(json: JsonValue, root: string, encode: (json: string) => string): FitJsonResult {
  const empty = Array.isArray(json) ? '[]' : isJsonObject(json) ? '{}' : 'null';
  const count = Array.isArray(json) ? json.length : isJsonObject(json) ? Object.keys(json).length : 1;
  return {
    json: encode(empty),
    shortened: true,
    omissions: [{ path: root, kind: 'everything', count }],
  };
}

/** Length of the longest array anywhere in the value. */
function longestArray(value: JsonValue): number {
  let longest = 0;
  const stack: JsonValue[] = [value];
  while (stack.length > 0) {
    const next = stack.pop() as JsonValue;
    if (Array.isArray(next)) {
      longest = Math.max(longest, next.length);
      stack.push(...next);
    } else if (isJsonObject(next)) {
      stack.push(...Object.values(next));
    }
  }
  return longest;
}

/** Omission records being gathered, keyed by kind and path pattern. */
class OmissionLog {
  private readonly records = new Map<string, MutableOmission>();

  add(path: string, kind: OmissionKind, count: number, extra?: { total?: number; fields?: string[] }) {
    const id = `${kind}\u0000${path}`;
    const record = this.records.get(id) ?? { path, kind, count: 0 };
    record.count += count;
    if (extra?.total !== undefined) record.total = (record.total ?? 0) + extra.total;
    if (extra?.fields) {
      record.fieldSet ??= new Set();
      for (const field of extra.fields) record.fieldSet.add(field);
    }
    this.records.set(id, record);
    return record;
  }

  private readonly pendingRows: [string, JsonValue[], ReadonlySet<number>][] = [];

  /** Records rows left out of `rows` (all but `kept`); their breakdown is worked out in {@link list}. */
  addRows(path: string, rows: JsonValue[], kept: ReadonlySet<number>): void {
    this.pendingRows.push([path, rows, kept]);
  }

  private groupRows(path: string, rows: JsonValue[], kept: ReadonlySet<number>): void {
    const omitted = rows.filter((_, i) => !kept.has(i));
    const record = this.add(path, 'rows', omitted.length, { total: rows.length });
    const field = groupingField(omitted);
    if (field === undefined) return;
    if (record.groupField !== undefined && record.groupField !== field) return;
    record.groupField = field;
    record.groupCounts ??= new Map();
    for (const row of omitted) {
      const key = isJsonObject(row) && typeof row[field] === 'string' ? row[field] : undefined;
      if (key === undefined) record.ungrouped = (record.ungrouped ?? 0) + 1;
      else record.groupCounts.set(key, (record.groupCounts.get(key) ?? 0) + 1);
    }
  }

  list(): Omission[] {
    for (const [path, rows, kept] of this.pendingRows) this.groupRows(path, rows, kept);
    this.pendingRows.length = 0;
    return [...this.records.values()].map(finish);
  }
}

interface MutableOmission {
  path: string;
  kind: OmissionKind;
  count: number;
  total?: number;
  fieldSet?: Set<string>;
  groupField?: string;
  groupCounts?: Map<string, number>;
  ungrouped?: number;
}

function finish(record: MutableOmission): Omission {
  const out: {
    path: string;
    kind: OmissionKind;
    count: number;
    total?: number;
    fields?: string[];
    breakdown?: OmissionBreakdown;
  } = { path: record.path, kind: record.kind, count: record.count };
  if (record.total !== undefined) out.total = record.total;
  if (record.fieldSet) out.fields = [...record.fieldSet];
  if (record.groupField !== undefined && record.groupCounts && record.groupCounts.size > 0) {
    const sorted = [...record.groupCounts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const groups = sorted.slice(0, BREAKDOWN_GROUPS);
    const named = groups.reduce((sum, [, n]) => sum + n, 0);
    out.breakdown = { field: record.groupField, groups, other: record.count - named };
  }
  return out;
}

/** Thrown inside a pruning pass as soon as the output is known to exceed the budget. */
const OVER_BUDGET = Symbol('over budget');

/**
 * Counts the characters the pruned value will have once serialized and encoded,
 * exactly as `JSON.stringify` writes it, and stops the pass once over budget, so
 * an attempt that cannot fit costs about as much as the budget, not the input.
 */
class Meter {
  private used = 0;

  constructor(
    private readonly max: number,
    private readonly encode: (json: string) => string,
  ) {}

  add(chars: number): void {
    this.used += chars;
    if (this.used > this.max) throw OVER_BUDGET;
  }

  addJson(value: string | number | boolean | null): void {
    this.add(this.encode(JSON.stringify(value)).length);
  }
}

/** Applies one set of limits to the whole value; undefined when the result would not fit. */
function prune(
  value: JsonValue,
  root: string,
  limits: Limits,
  encode: (json: string) => string,
  maxChars: number,
): FitJsonResult | undefined {
  const log = new OmissionLog();
  let pruned: JsonValue;
  try {
    pruned = pruneValue(value, root, 0, { limits, log, meter: new Meter(maxChars, encode) });
  } catch (error) {
    if (error === OVER_BUDGET) return undefined;
    throw error;
  }
  const json = encode(JSON.stringify(pruned));
  if (json.length > maxChars) return undefined;
  const omissions = log.list();
  return { json, shortened: omissions.length > 0, omissions };
}

interface Pass {
  readonly limits: Limits;
  readonly log: OmissionLog;
  readonly meter: Meter;
}

function pruneValue(value: JsonValue, path: string, depth: number, pass: Pass): JsonValue {
  const { limits, log, meter } = pass;
  if (typeof value === 'string') {
    const cut = pruneString(value, path, limits, log);
    meter.addJson(cut);
    return cut;
  }
  if (Array.isArray(value)) {
    if (depth >= limits.maxDepth && value.length > 0) {
      log.add(path, 'nested', 1);
      const note = `[${value.length} items not shown]`;
      meter.addJson(note);
      return note;
    }
    const keep = rowsToKeep(value, limits.maxRows);
    if (keep.length < value.length) log.addRows(path, value, new Set(keep));
    meter.add(2 + Math.max(0, keep.length - 1));
    return keep.map((i) => pruneValue(value[i] ?? null, `${path}[]`, depth + 1, pass));
  }
  if (isJsonObject(value)) {
    const keys = Object.keys(value);
    if (depth >= limits.maxDepth && keys.length > 0) {
      log.add(path, 'nested', 1);
      const note = `[${keys.length} fields not shown]`;
      meter.addJson(note);
      return note;
    }
    const candidates = limits.dropVerbose ? keys.filter((key) => !isVerboseField(key)) : keys;
    if (candidates.length < keys.length) {
      const dropped = keys.filter((key) => isVerboseField(key));
      log.add(path, 'fields', 1, { fields: dropped });
    }
    let source: JsonObject = value;
    if (candidates.length < keys.length) {
      source = {};
      for (const key of candidates) setKey(source, key, value[key] ?? null);
    }
    const kept = keysToKeep(source, limits.maxKeys);
    if (kept.length < candidates.length) log.add(path, 'keys', candidates.length - kept.length);
    meter.add(2 + Math.max(0, kept.length - 1));
    const out: JsonObject = {};
    for (const key of kept) {
      meter.addJson(key);
      meter.add(1);
      setKey(out, key, pruneValue(source[key] ?? null, `${path}${pathSegment(key)}`, depth + 1, pass));
    }
    return out;
  }
  meter.addJson(value);
  return value;
}

function pruneString(value: string, path: string, limits: Limits, log: OmissionLog): string {
  if (value.length <= limits.maxString) return value;
  const head = safeSlice(value, limits.maxString);
  log.add(path, 'strings', 1);
  return `${head}…[+${value.length - head.length} chars]`;
}

/** `.key` for plain keys, `["key"]` (quoted, at most 40 characters) for any other. */
export function pathSegment(key: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_-]{0,39}$/.test(key)) return `.${key}`;
  const short = key.length > 40 ? `${safeSlice(key, 40)}…` : key;
  return `[${JSON.stringify(short)}]`;
}
