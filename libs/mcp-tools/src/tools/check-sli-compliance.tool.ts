import { z } from 'zod';
import { ValidationError, type SqlDatasource } from '@tfo/domain';
import { defineTool, jsonResult } from '../definitions.js';
import { hoursWindowArgument, serviceArgument, windowArgument } from '../telemetry/arguments.js';
import { organizationOf } from '../telemetry/queries.js';
import {
  DEFAULT_AVAILABILITY_TARGET,
  DEFAULT_LATENCY_THRESHOLD_MS,
  DEFAULT_SLICE_OBJECTIVE,
  evaluateSli,
  sliKind,
} from '../telemetry/sli.js';
import { resolveWindow } from '../telemetry/window.js';

const percent = (name: string) =>
  z
    .number({ error: `${name} must be a percentage greater than 0 and below 100, e.g. 99 or 99.9` })
    .gt(0, { error: `${name} must be greater than 0` })
    .lt(100, { error: `${name} must be below 100 (a 100 % objective leaves no error budget)` });

/** `check_sli_compliance`: SLIs per service over a window, against an objective. */
export function createCheckSliComplianceTool(clickhouse: SqlDatasource) {
  return defineTool({
    name: 'check_sli_compliance',
    title: 'Check SLI / SLO compliance',
    category: 'telemetry',
    scope: 'mcp:telemetry:read',
    description:
      'Checks service level indicators over a window ending now (default 24h) for one service, or for every service of ' +
      'the organization when service is omitted (e.g. "which services miss a 99 % availability SLO this month": ' +
      'sli "availability", threshold 99, window "30d"). sli is "availability" (request success from spans: threshold is ' +
      `the objective in %, default ${DEFAULT_AVAILABILITY_TARGET}), "latency" (each time slice's p95 must be at most ` +
      `threshold ms, default ${DEFAULT_LATENCY_THRESHOLD_MS}, in objective % of slices, default ${DEFAULT_SLICE_OBJECTIVE}) ` +
      'or a metric name or alias such as "cpu" (each slice\'s average must be at most threshold, or at least with ' +
      'comparison "at_least", in objective % of slices). Per service: status compliant / non_compliant / no_data, ' +
      'sli_percent, objective_percent, error_budget_consumed_percent and error_budget_remaining_percent, with requests and ' +
      'errors or the slice counts. non_compliant lists the services that miss it.',
    inputSchema: z.object({
      service: serviceArgument().optional().describe('One service; omit to check every service'),
      sli: z
        .string({ error: 'sli must be "availability", "latency" or a metric name such as "cpu"' })
        .trim()
        .min(1, { error: 'sli must not be empty: "availability", "latency" or a metric name' })
        .max(256, { error: 'sli must be at most 256 characters' })
        .default('availability')
        .describe('"availability" (default), "latency" (p95), or a metric name or alias (cpu, memory, ...)'),
      threshold: z
        .number({ error: 'threshold must be a number' })
        .optional()
        .describe(
          `availability: the objective in % (default ${DEFAULT_AVAILABILITY_TARGET}); latency: p95 limit in ms ` +
            `(default ${DEFAULT_LATENCY_THRESHOLD_MS}); metric: the limit in the metric's unit (required)`,
        ),
      objective: percent('objective')
        .default(DEFAULT_SLICE_OBJECTIVE)
        .describe(
          `latency and metrics: % of time slices that must be good (default ${DEFAULT_SLICE_OBJECTIVE})`,
        ),
      comparison: z
        .enum(['at_most', 'at_least'], { error: 'comparison must be "at_most" or "at_least"' })
        .default('at_most')
        .describe('metrics: a good slice is at_most (default) or at_least the threshold'),
      window: windowArgument('24h'),
      hours: hoursWindowArgument,
    }),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async handler(args, ctx) {
      const call = organizationOf(clickhouse, ctx, 'check_sli_compliance');
      const window = resolveWindow({ window: args.window, hours: args.hours }, '24h');
      const kind = sliKind(args.sli);
      let threshold: number;
      if (kind === 'availability') {
        threshold = args.threshold ?? DEFAULT_AVAILABILITY_TARGET;
        if (!(threshold > 0 && threshold < 100)) {
          throw new ValidationError(
            `threshold is the availability objective in %: greater than 0 and below 100, e.g. 99 or 99.9 (got ${threshold}).`,
          );
        }
      } else if (kind === 'latency') {
        threshold = args.threshold ?? DEFAULT_LATENCY_THRESHOLD_MS;
        if (!(threshold > 0)) throw new ValidationError('threshold must be a p95 limit in ms greater than 0');
      } else {
        if (args.threshold === undefined) {
          throw new ValidationError(
            `threshold is required for the metric SLI ${JSON.stringify(args.sli)}: the limit a time slice's average must ` +
              'stay under (or above, with comparison "at_least"), e.g. 80 for cpu.',
          );
        }
        threshold = args.threshold;
      }
      const evaluation = await evaluateSli(call, {
        sli: args.sli,
        threshold,
        objective: args.objective,
        comparison: args.comparison,
        window,
        service: args.service,
      });
      const missing = evaluation.rows.filter((r) => r.status === 'non_compliant').map((r) => r.service);
      return jsonResult({
        sli: evaluation.sli,
        ...(evaluation.metric ? { metric: evaluation.metric } : {}),
        window: window.label,
        grain: window.grain.suffix,
        ...(kind === 'availability'
          ? { objective_percent: threshold }
          : {
              threshold,
              comparison: args.comparison,
              objective_percent: args.objective,
            }),
        services_checked: evaluation.rows.length,
        compliant: evaluation.rows.filter((r) => r.status === 'compliant').length,
        non_compliant: missing,
        no_data: evaluation.rows.filter((r) => r.status === 'no_data').map((r) => r.service),
        services: evaluation.rows,
      });
    },
  });
}
