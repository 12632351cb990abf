/**
 * What matters most when telemetry has to be shortened: which rows of an array
 * to keep and which fields of an object to give up first.
 *
 * Decisions:
 * - Rows that show trouble come first: an error-level severity, a failing status
 *   or result, `success: false`, or a positive error/failure/restart counter.
 *   Among equals, rows with the highest values come first, measured per numeric
 *   field relative to that field's largest value in the array (so a count and a
 *   duration are comparable). Identifier and time fields never count as values.
 * - Kept rows stay in their original order, so timelines still read in order.
 * - Arrays of plain values (a series) are sampled evenly, first and last kept.
 * - Field classes, given up in this order: verbose (bodies, messages, labels,
 *   query text), other, numeric, identifying (ids, names, service, host, severity,
 *   status, timestamps). Identifying fields go last.
 */
import { isJsonObject, type JsonObject, type JsonValue } from './json-value.js';

/** How a field is treated when objects must lose fields; lower classes are kept longer. */
export type FieldClass = 'identifying' | 'numeric' | 'other' | 'verbose';

const IDENTIFYING =
  /^(id|uid|uuid|key|name|title|type|kind|severity|severity_text|level|status|state|phase|result|service|service_name|host|hostname|host_name|namespace|cluster|node|pod|container|region|monitor|monitor_name|metric|metric_name|resource|resource_name|resource_type|database|engine|instance|timestamp|time|hour|day|minute|five_minutes|fifteen_minutes|six_hours|date|source|target|source_service|target_service|fingerprint|trace_id|span_id)$|_id$|Id$|_name$|Name$|_at$|At$/;

const VERBOSE =
  /^(body|message|msg|description|details?|stack|stack_?trace|stacktrace|exception|attributes|resource_attributes|span_attributes|log_attributes|labels|annotations|tags|query|query_text|sql|statement|user_agent|payload|headers|raw|text|content|spec|config|yaml|html|metadata|comment|notes?|summary_text)$/i;

const NOT_A_VALUE =
  /^(id|uid|uuid|port|version|year|month|epoch)$|_id$|Id$|_at$|At$|^(timestamp|time|hour|day|minute|five_minutes|fifteen_minutes|six_hours|date)$|_port$|_version$/i;

const SEVERITY_FIELD = /^(severity|severity_text|level|log_level|priority|criticality|risk)$/i;
const STATUS_FIELD = /^(status|state|phase|result|outcome|health|condition|reason|verdict)$/i;
const SUCCESS_FIELD = /^(success|ok|healthy|up|ready|passed|available|enabled_ok)$/i;
const TROUBLE_COUNTER =
  /(error|errors|fail|failed|failure|failures|exception|crash|restart|restarts|drop|dropped|timeout|timeouts|violation|denied|reject|rejected|evict|deadlock|oom)/i;

const SEVERE = new Set(['FATAL', 'CRITICAL', 'CRIT', 'EMERGENCY', 'EMERG', 'ALERT', 'PANIC', 'P1', 'SEV1']);
const HIGH = new Set(['ERROR', 'ERR', 'HIGH', 'MAJOR', 'P2', 'SEV2']);
const WARN = new Set(['WARN', 'WARNING', 'MEDIUM', 'MINOR', 'P3', 'SEV3']);
const FAILING =
  /^(error|errored|failed|failure|failing|fail|down|unhealthy|critical|firing|denied|rejected|crashloopbackoff|oomkilled|evicted|unavailable|unreachable|breached|violated|notready|not_ready|lost|terminated|blocked|deadlocked)$/i;
const DEGRADED = /^(degraded|warning|warn|pending|unknown|at_risk|flapping|throttled|lagging|partial)$/i;

/** The class of field `key` holding `value`. */
export function classifyField(key: string, value: JsonValue): FieldClass {
  if (IDENTIFYING.test(key)) return 'identifying';
  if (VERBOSE.test(key)) return 'verbose';
  if (typeof value === 'number') return 'numeric';
  return 'other';
}

/** True when the field is verbose text or a label bag, the first thing given up. */
export function isVerboseField(key: string): boolean {
  return VERBOSE.test(key) && !IDENTIFYING.test(key);
}

const FIELD_RANK: Record<FieldClass, number> = { identifying: 0, numeric: 1, other: 2, verbose: 3 };

/**
 * The keys of `object` to keep when at most `limit` may stay: by field class
 * (identifying first), then original order. Returned in original order.
 */
export function keysToKeep(object: JsonObject, limit: number): string[] {
  const keys = Object.keys(object);
  if (keys.length <= limit) return keys;
  const ranked = keys
    .map((key, index) => ({ key, index, rank: FIELD_RANK[classifyField(key, object[key] ?? null)] }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .slice(0, Math.max(0, limit));
  return ranked.sort((a, b) => a.index - b.index).map((r) => r.key);
}

/** 0 (nothing wrong) to 3 (fatal or critical): how strongly a row signals trouble. */
export function troubleScore(row: JsonObject): number {
  let score = 0;
  for (const [key, value] of Object.entries(row)) {
    if (typeof value === 'string') {
      const upper = value.trim().toUpperCase();
      if (SEVERITY_FIELD.test(key)) {
        if (SEVERE.has(upper)) score = Math.max(score, 3);
        else if (HIGH.has(upper)) score = Math.max(score, 2);
        else if (WARN.has(upper)) score = Math.max(score, 1);
      } else if (STATUS_FIELD.test(key)) {
        if (FAILING.test(value.trim())) score = Math.max(score, 2);
        else if (DEGRADED.test(value.trim())) score = Math.max(score, 1);
      }
    } else if (typeof value === 'boolean') {
      if (SUCCESS_FIELD.test(key) && value === false) score = Math.max(score, 2);
      if (/^(error|failed|is_error|has_error)$/i.test(key) && value) score = Math.max(score, 2);
    } else if (typeof value === 'number') {
      if (SUCCESS_FIELD.test(key) && value === 0) score = Math.max(score, 2);
      else if (TROUBLE_COUNTER.test(key) && !NOT_A_VALUE.test(key) && value > 0) score = Math.max(score, 2);
    }
  }
  return score;
}

/** Numeric fields that measure something (not ids, ports, versions or times). */
function valueFields(row: JsonObject): [string, number][] {
  const out: [string, number][] = [];
  for (const [key, value] of Object.entries(row)) {
    if (typeof value === 'number' && !NOT_A_VALUE.test(key)) out.push([key, value]);
  }
  return out;
}

const orderCache = new WeakMap<JsonValue[], number[]>();

/**
 * Indices of `rows` from most to least important (see the module header); stable,
 * and cached per array because budget fitting asks several times.
 */
export function importanceOrder(rows: JsonValue[]): number[] {
  const cached = orderCache.get(rows);
  if (cached) return cached;
  const maxByField = new Map<string, number>();
  for (const row of rows) {
    if (!isJsonObject(row)) continue;
    for (const [key, value] of valueFields(row)) {
      const abs = Math.abs(value);
      if (abs > (maxByField.get(key) ?? 0)) maxByField.set(key, abs);
    }
  }
  const scored = rows.map((row, index) => {
    if (!isJsonObject(row)) return { index, score: 0 };
    let magnitude = 0;
    for (const [key, value] of valueFields(row)) {
      const max = maxByField.get(key) ?? 0;
      if (max > 0) magnitude = Math.max(magnitude, Math.abs(value) / max);
    }
    return { index, score: troubleScore(row) * 10 + magnitude };
  });
  scored.sort((a, b) => b.score - a.score || a.index - b.index);
  const order = scored.map((s) => s.index);
  orderCache.set(rows, order);
  return order;
}

/**
 * The indices (ascending) of the `limit` rows to keep: the most important rows of
 * an array of objects, or an even sample of a series of plain values.
 */
export function rowsToKeep(rows: JsonValue[], limit: number): number[] {
  const n = rows.length;
  if (limit >= n) return rows.map((_, i) => i);
  if (limit <= 0) return [];
  const objects = rows.some((row) => typeof row === 'object' && row !== null);
  if (!objects) {
    if (limit === 1) return [0];
    const picked = new Set<number>();
    for (let i = 0; i < limit; i += 1) picked.add(Math.round((i * (n - 1)) / (limit - 1)));
    return [...picked].sort((a, b) => a - b);
  }
  return importanceOrder(rows)
    .slice(0, limit)
    .sort((a, b) => a - b);
}

const GROUP_FIELDS = [
  'service_name',
  'service',
  'serviceName',
  'source_service',
  'host',
  'hostname',
  'host_name',
  'namespace',
  'cluster',
  'monitor_name',
  'metric_name',
  'database',
  'engine',
  'resource_type',
  'severity_text',
  'severity',
  'type',
  'name',
];

/**
 * The field by which omitted rows are best summarised (service first, then host,
 * namespace, ...), or undefined when none of them holds strings in these rows.
 */
export function groupingField(rows: readonly JsonValue[]): string | undefined {
  for (const field of GROUP_FIELDS) {
    if (rows.some((row) => isJsonObject(row) && typeof row[field] === 'string')) return field;
  }
  return undefined;
}
