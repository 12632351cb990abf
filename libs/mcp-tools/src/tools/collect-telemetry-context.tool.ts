import type { ContextCollector } from '@tfo/context-collector';
import { z } from 'zod';
import { defineTool, jsonResult } from '../definitions.js';
import {
  contextIdArgument,
  contextTypeArgument,
  contextTypeOf,
  contextWindowArgument,
  organizationOf,
  timeRangeOf,
} from '../context/context-arguments.js';

/**
 * `collect_telemetry_context`: the TelemetryContext of one context type for the caller's
 * organization, exactly as TFO-Platform's ContextCollector returns it. A data-source problem
 * or an empty period comes back as a `[SYSTEM]` summary, not as an error.
 */
export function createCollectTelemetryContextTool(collector: ContextCollector, now: () => Date) {
  return defineTool({
    name: 'collect_telemetry_context',
    title: 'Collect telemetry context',
    category: 'telemetry',
    scope: 'mcp:telemetry:read',
    description:
      "Collect the telemetry context of one context type (metrics, logs, traces, kubernetes-pods, slo, ai-anomalies, ...) for the caller's organization " +
      'over a window ending now: { type, timeRange, summary, data }. The summary leads with what an SRE checks first, with real numbers. ' +
      'A summary starting with "[SYSTEM]" means no data in the period or a data source problem: say so, do not guess. ' +
      'Use list_context_types to find types; narrow with context_id (a service, metric or resource).',
    inputSchema: z.object({
      context_type: contextTypeArgument,
      context_id: contextIdArgument,
      window: contextWindowArgument,
      max_items: z
        .number()
        .int()
        .min(1, { error: 'max_items must be at least 1' })
        .max(500, { error: 'max_items must be at most 500' })
        .optional()
        .describe('Most items per list in data (default 50)'),
    }),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async handler({ context_type, context_id, window, max_items }, ctx) {
      const context = await collector.collectContext({
        organizationId: organizationOf(ctx),
        contextType: contextTypeOf(context_type),
        ...(context_id ? { contextId: context_id } : {}),
        timeRange: timeRangeOf(window, now()),
        ...(max_items === undefined ? {} : { maxItems: max_items }),
      });
      return jsonResult(JSON.parse(JSON.stringify(context)) as Record<string, unknown>);
    },
  });
}
