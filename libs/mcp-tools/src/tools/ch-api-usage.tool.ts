import { z } from 'zod';
import type { SqlDatasource } from '@tfo/domain';
import { defineTool } from '../definitions.js';
import { WINDOW_CONDITION, answerAnalytics } from '../sql/analytics.js';
import { filterArgument, hoursArgument, limitArgument } from '../sql/arguments.js';

// Aliases differ from the column names: ClickHouse would resolve `input_tokens` inside
// another aggregate to an alias `sum(input_tokens) AS input_tokens`.
function usageSql(byModel: boolean): string {
  return `SELECT provider,
       model,
       count() AS calls,
       sum(input_tokens) AS total_input_tokens,
       sum(output_tokens) AS total_output_tokens,
       sum(input_tokens) + sum(output_tokens) AS total_tokens,
       round(sum(cost_usd), 6) AS total_cost_usd,
       round(avg(duration_ms), 2) AS avg_duration_ms,
       countIf(success) AS successes,
       countIf(NOT success) AS failures,
       min(timestamp) AS first_call,
       max(timestamp) AS last_call
  FROM api_usage
 WHERE ${WINDOW_CONDITION}${byModel ? '\n   AND model = {model:String}' : ''}
 GROUP BY provider, model
 ORDER BY total_tokens DESC, calls DESC, provider, model
 LIMIT {limit:UInt32}`;
}

const ALL_MODELS = usageSql(false);
const ONE_MODEL = usageSql(true);

/** `ch_api_usage`: LLM API calls, tokens and cost per provider and model from api_usage. */
export function createChApiUsageTool(clickhouse: SqlDatasource) {
  return defineTool({
    name: 'ch_api_usage',
    title: 'LLM API usage',
    category: 'analytics',
    scope: 'mcp:telemetry:read',
    description:
      'LLM API usage of your organization through this MCP server over the last hours, per provider and model: calls, ' +
      'total_input_tokens, total_output_tokens, total_tokens, total_cost_usd, avg_duration_ms, successes, failures, ' +
      'first_call and last_call (UTC), most tokens first. Give model to see one model only.',
    inputSchema: z.object({
      hours: hoursArgument(168),
      model: filterArgument('model', 'Only this model (exact name)'),
      limit: limitArgument(50),
    }),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async handler({ hours, model, limit }, ctx) {
      return answerAnalytics(
        clickhouse,
        {
          tool: 'ch_api_usage',
          sql: model === undefined ? ALL_MODELS : ONE_MODEL,
          hours,
          limit,
          filters: { model },
        },
        ctx,
      );
    },
  });
}
