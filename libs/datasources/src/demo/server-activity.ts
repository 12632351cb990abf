/**
 * The MCP server's own history, so its analytics tools have something to show on a fresh
 * estate: sessions (`session_analytics`), tool calls (`tool_calls`), LLM usage
 * (`api_usage`), errors (`error_analytics`) and resource reads (`resource_reads`).
 *
 * Invariants: a session starts in one minute and all its events fall inside that minute,
 * so a minute-aligned window holds whole sessions and nothing in its future; tool names
 * and error codes are the product's own; every organization has one scheduled health-probe
 * session per hour and one context-collection error every 2 hours (so each table has rows
 * in any window of a few hours); during the payment-processor CPU spike more sessions
 * start (engineers investigating).
 */
import { emptyBatch, type ChStream, type Row } from './model.js';
import type { DemoOrg, DemoPlan, TenantScope } from './plan.js';
import { hash3, hex8, Prng } from './prng.js';
import { orgLoad } from './signals.js';
import { chTime, MINUTE } from './time.js';

const TOOLS: readonly [string, number, number][] = [
  ['ch_query', 30, 180],
  ['pg_query', 14, 60],
  ['ch_tool_analytics', 4, 90],
  ['ch_session_analytics', 2, 80],
  ['ch_error_analytics', 3, 85],
  ['ch_api_usage', 2, 70],
  ['pg_sessions', 2, 25],
  ['pg_list_tables', 6, 15],
  ['pg_describe_table', 8, 18],
  ['system_info', 3, 5],
  ['read_file', 4, 8],
  ['list_directory', 2, 6],
  ['search_files', 2, 40],
];
const TOOL_WEIGHTS = TOOLS.map((t) => t[1]);
const SYSTEM_INFO: [string, number, number] = ['system_info', 3, 5];

const COLLECTOR_ERRORS: readonly { code: string; cls: string; message: string }[] = [
  {
    code: 'DATASOURCE.QUERY_TIMEOUT',
    cls: 'LimitExceededError',
    message:
      'kubernetes-pods context: the query over kubernetes_metrics_1h ran past its 10 s budget; the context was answered from the inventory only',
  },
  {
    code: 'DATASOURCE.UNKNOWN_TABLE',
    cls: 'ValidationError',
    message:
      "db-monitoring-mongodb-atlas context: table 'db_mongodb_metrics' does not exist; read db_metrics instead",
  },
  {
    code: 'DATASOURCE.UNAVAILABLE',
    cls: 'DependencyError',
    message: 'ClickHouse did not answer within 2 s while collecting the traces context; retried once',
  },
];

/** Context-collection errors the server records: one per organization every 2 hours, kept by their own time. */
function collectorErrors(org: DemoOrg, from: number, to: number, out: Row[]): void {
  const slot = 2 * 60 * MINUTE;
  for (let k = Math.ceil((from - slot) / slot); k * slot < to; k++) {
    const rng = new Prng(hash3(org.valueKey, 0xe44, k));
    const at = k * slot + rng.int(slot);
    const e = rng.pick(COLLECTOR_ERRORS);
    if (at < from || at >= to) continue;
    out.push({
      ...scoped(org.platformScope, at),
      session_id: '',
      source: 'collector',
      error_code: e.code,
      error_class: e.cls,
      message: e.message,
      tool_name: '',
    });
  }
}

const ERRORS: readonly { code: string; cls: string; message: string; tools: readonly string[] }[] = [
  {
    code: 'DATASOURCE.QUERY_TIMEOUT',
    cls: 'LimitExceededError',
    message:
      'The query ran longer than its 30 s budget; narrow the time range or aggregate with a rollup table',
    tools: ['ch_query', 'pg_query'],
  },
  {
    code: 'DATASOURCE.UNKNOWN_TABLE',
    cls: 'ValidationError',
    message: "Unknown table 'metric_5m'; did you mean metrics_5m?",
    tools: ['ch_query'],
  },
  {
    code: 'DATASOURCE.SYNTAX_ERROR',
    cls: 'ValidationError',
    message: 'Syntax error near "GROUP" at position 88',
    tools: ['ch_query', 'pg_query'],
  },
  {
    code: 'SQL.NOT_READ_ONLY',
    cls: 'PermissionDeniedError',
    message: 'Only read statements are allowed (found DELETE)',
    tools: ['pg_query'],
  },
  {
    code: 'VALIDATION.INVALID_ARGUMENT',
    cls: 'ValidationError',
    message: 'hours must be between 1 and 720',
    tools: ['ch_tool_analytics', 'ch_api_usage'],
  },
];

const CLIENTS: readonly [string, string][] = [
  ['claude-desktop', 'stdio'],
  ['cursor', 'stdio'],
  ['tfo-platform', 'streamable-http'],
  ['mcp-inspector', 'streamable-http'],
];

const MODELS: readonly [string, string, number, number][] = [
  ['anthropic', 'claude-sonnet-4-5', 3, 15],
  ['anthropic', 'claude-haiku-4-5', 1, 5],
  ['openai', 'gpt-4.1-mini', 0.4, 1.6],
];

const SERVER_TABLES = ['session_analytics', 'tool_calls', 'api_usage', 'error_analytics', 'resource_reads'];

function scoped(scope: TenantScope, t: number): Row {
  return {
    organization_id: scope.organization_id,
    workspace_id: scope.workspace_id,
    tenant_id: scope.tenant_id,
    timestamp: chTime(t),
  };
}

function session(plan: DemoPlan, org: DemoOrg, m: number, out: Record<string, Row[]>): void {
  const rng = new Prng(hash3(org.valueKey, 0x5e5, m));
  const t0 = m * MINUTE;
  const busy =
    org.index === 0 && t0 >= plan.incidents.cpuSpike.start && t0 < plan.incidents.anchor + 30 * MINUTE
      ? 6
      : 1;
  // The platform's hourly health probe: one scheduled session per organization and hour.
  const scheduled = m % 60 === 3 + 7 * org.index;
  if (!scheduled && !rng.chance((org.index === 0 ? 0.12 : 0.08) * orgLoad(org, t0) * busy)) return;
  const scope = org.platformScope;
  const sessionId = `${hex8(hash3(org.idKey, m, 1))}-${hex8(hash3(org.idKey, m, 2))}`;
  const [client, transport] = scheduled ? (['tfo-platform', 'streamable-http'] as const) : rng.pick(CLIENTS);
  let t = t0 + rng.int(5_000);
  const opened = t;
  const push = (table: string, row: Row): void => {
    out[table]?.push(row);
  };
  push('session_analytics', {
    ...scoped(scope, t),
    session_id: sessionId,
    event: 'created',
    transport,
    client_name: client,
    duration_ms: 0,
    tool_call_count: 0,
  });
  t += 40 + rng.int(200);
  push('session_analytics', {
    ...scoped(scope, t),
    session_id: sessionId,
    event: 'ready',
    transport,
    client_name: client,
    duration_ms: 0,
    tool_call_count: 0,
  });
  const calls = scheduled ? 1 : 1 + rng.int(7);
  let made = 0;
  for (let i = 0; i < calls && t < t0 + 50_000; i++) {
    made++;
    const [tool, , ms] = scheduled
      ? SYSTEM_INFO
      : (TOOLS[rng.weighted(TOOL_WEIGHTS)] as [string, number, number]);
    t += 800 + rng.int(4_000);
    const duration = Math.min(3_000, Math.round(ms * rng.lognormal(1, 0.6)));
    const failing = ERRORS.filter((e) => e.tools.includes(tool));
    const failed = failing.length > 0 && rng.chance(0.08);
    const err = failed ? rng.pick(failing) : undefined;
    const callId = `${sessionId}-${i}`;
    push('tool_calls', {
      ...scoped(scope, t),
      call_id: callId,
      session_id: sessionId,
      tool_name: tool,
      arguments_digest: hex8(hash3(org.valueKey, m, 100 + i)) + hex8(rng.u32()),
      duration_ms: duration,
      outcome: failed ? 'error' : 'success',
      error_code: err?.code ?? '',
      caller: client,
    });
    if (err !== undefined) {
      push('error_analytics', {
        ...scoped(scope, t + duration),
        session_id: sessionId,
        source: 'tool',
        error_code: err.code,
        error_class: err.cls,
        message: err.message,
        tool_name: tool,
      });
    }
    if (rng.chance(0.5)) {
      const [provider, model, inPrice, outPrice] = rng.pick(MODELS);
      const input = 800 + rng.int(9_000);
      const output = 120 + rng.int(1_400);
      const ok = !rng.chance(0.02);
      push('api_usage', {
        ...scoped(scope, t + duration + 10),
        session_id: sessionId,
        provider,
        model,
        operation: 'chat.completions',
        input_tokens: input,
        output_tokens: ok ? output : 0,
        cost_usd: ok ? Math.round(((input * inPrice + output * outPrice) / 1e6) * 1e6) / 1e6 : 0,
        duration_ms: 600 + rng.int(5_000),
        success: ok,
      });
      if (!ok)
        push('error_analytics', {
          ...scoped(scope, t + duration + 20),
          session_id: sessionId,
          source: 'llm',
          error_code: 'LLM.RATE_LIMITED',
          error_class: 'DependencyError',
          message: `${provider} answered 429: rate limit reached, retried after 2 s`,
          tool_name: '',
        });
    }
  }
  if (scheduled || rng.chance(0.3)) {
    const uri = scheduled ? 'status://health' : rng.pick(['status://health', 'config://server']);
    push('resource_reads', {
      ...scoped(scope, t + 300),
      session_id: sessionId,
      uri_scheme: uri.slice(0, uri.indexOf(':')),
      uri,
      duration_ms: 2 + rng.int(20),
      outcome: 'success',
      error_code: '',
      caller: client,
    });
  }
  const closed = Math.min(t0 + 59_000, t + 1_000 + rng.int(5_000));
  push('session_analytics', {
    ...scoped(scope, closed),
    session_id: sessionId,
    event: 'closed',
    transport,
    client_name: client,
    duration_ms: closed - opened,
    tool_call_count: made,
  });
}

/** The server-activity stream. */
export const serverActivityStream: ChStream = {
  name: 'server-activity',
  tables: SERVER_TABLES,
  rowsPerHour: () => 40,
  generate(plan, from, to) {
    const batch = emptyBatch(SERVER_TABLES);
    for (let m = Math.ceil(from / MINUTE); m * MINUTE < to; m++) {
      for (const org of plan.orgs) session(plan, org, m, batch);
    }
    for (const org of plan.orgs) collectorErrors(org, from, to, batch['error_analytics'] as Row[]);
    return batch;
  },
};
