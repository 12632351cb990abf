import type { ContextCollector } from '@tfo/context-collector';
import { INSIGHT_TYPES, parseInsightType } from '@tfo/domain';
import type { PromptBuilder } from '@tfo/prompt-builder';
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
 * `build_insight_prompt`: collects the context and returns the two prompts ready to send to a
 * model: the system prompt and the user prompt (the insight task with the fenced context),
 * with what the token budget left out.
 */
export function createBuildInsightPromptTool(
  collector: ContextCollector,
  prompts: PromptBuilder,
  now: () => Date,
) {
  return defineTool({
    name: 'build_insight_prompt',
    title: 'Build insight prompt',
    category: 'telemetry',
    scope: 'mcp:telemetry:read',
    description:
      `Collect the telemetry context of one context type for the caller's organization and build the prompts for one insight (${INSIGHT_TYPES.join(', ')}): ` +
      'system_prompt (persona and rules) and user_prompt (the task in four parts: Summary, Evidence, Analysis, Next steps, followed by ' +
      'the context as fenced JSON fitted to the token budget, saying what was omitted). Send them to any model as they are.',
    inputSchema: z.object({
      insight_type: z
        .string()
        .trim()
        .describe(`One of: ${INSIGHT_TYPES.join(', ')}`),
      context_type: contextTypeArgument,
      context_id: contextIdArgument,
      window: contextWindowArgument,
    }),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async handler({ insight_type, context_type, context_id, window }, ctx) {
      const insight = parseInsightType(insight_type);
      const type = contextTypeOf(context_type);
      const context = await collector.collectContext({
        organizationId: organizationOf(ctx),
        contextType: type,
        ...(context_id ? { contextId: context_id } : {}),
        timeRange: timeRangeOf(window, now()),
      });
      const rendering = prompts.renderContext(context);
      return jsonResult({
        insight_type: insight,
        context_type: type,
        system_prompt: prompts.buildSystemPrompt(type),
        user_prompt: prompts.buildInsightPrompt(insight, context),
        estimated_context_tokens: rendering.estimatedTokens,
        omitted: rendering.omissions,
        data_source_problem: rendering.system && !rendering.noData,
        no_data: rendering.noData,
      });
    },
  });
}
