import type { ContextCollector } from '@tfo/context-collector';
import { INSIGHT_TYPES, DependencyError, parseInsightType } from '@tfo/domain';
import type { LlmGateway } from '@tfo/llm-providers/gateway';
import type { PromptBuilder } from '@tfo/prompt-builder';
import { z } from 'zod';
import { defineTool, jsonResult } from '../definitions.js';
import {
  contextTypeArgument,
  contextTypeOf,
  contextWindowArgument,
  organizationOf,
  timeRangeOf,
} from '../context/context-arguments.js';
import { askModel, modelArgument, usageOf } from '../llm/ask.js';

const STEPS = 4;

/**
 * `analyze_telemetry`: the whole loop in one call. Collects the context of the caller's
 * organization, builds the persona system prompt and the four-part insight prompt with the
 * context fenced as data, asks the model (a configured provider, or the client's own model
 * through sampling), and returns its answer with the context's period, the model and the
 * token usage. Reports progress at each step.
 *
 * Decisions: when the context is the `[SYSTEM]` unavailable one, no model is asked (it could
 * only restate the outage): the call fails with the reason so the caller can retry. A
 * no-data context is still analysed: the model says what is missing and where to look.
 */
export function createAnalyzeTelemetryTool(deps: {
  collector: ContextCollector;
  prompts: PromptBuilder;
  gateway: LlmGateway;
  now: () => Date;
}) {
  const { collector, prompts, gateway, now } = deps;
  return defineTool({
    name: 'analyze_telemetry',
    title: 'Analyze telemetry',
    category: 'ai',
    scope: 'mcp:llm:use',
    description:
      `Analyze the caller's telemetry with a language model: collects one context type over a window, asks for one insight (${INSIGHT_TYPES.join(', ')}) ` +
      'and returns the answer (Summary, Evidence, Analysis, Next steps, citing the numbers), the period analysed, the model and the token usage. ' +
      '`service` narrows the context to one service; `question` adds what you want to know. `model` takes any id list_models shows, ' +
      "or `sampling` for the client's own model; omitted, the configured default answers (or the client's model when no key is configured).",
    inputSchema: z.object({
      context_type: contextTypeArgument,
      insight_type: z
        .string()
        .trim()
        .describe(`One of: ${INSIGHT_TYPES.join(', ')}`),
      service: z
        .string()
        .trim()
        .min(1)
        .max(512, { error: 'service must be at most 512 characters' })
        .optional()
        .describe('Narrow the context to this service (or metric, pod or resource name)'),
      window: contextWindowArgument,
      question: z
        .string()
        .trim()
        .max(4_000, { error: 'question must be at most 4000 characters' })
        .optional()
        .describe('What you want to know, in your words'),
      model: modelArgument,
    }),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    async handler({ context_type, insight_type, service, window, question, model }, ctx) {
      const insight = parseInsightType(insight_type);
      const type = contextTypeOf(context_type);
      const organizationId = organizationOf(ctx);
      // Fail on a model that cannot answer before spending time on the context.
      gateway.route(model, { fallbackAvailable: ctx.sampling !== undefined });

      await ctx.reportProgress(0, STEPS, `collecting the ${type} context`);
      const context = await collector.collectContext({
        organizationId,
        contextType: type,
        ...(service ? { contextId: service } : {}),
        timeRange: timeRangeOf(window, now()),
      });
      const rendering = prompts.renderContext(context);
      const period = { start: context.timeRange.from.toISOString(), end: context.timeRange.to.toISOString() };
      if (rendering.system && !rendering.noData) {
        throw new DependencyError(
          `The ${type} context could not be collected, so no model was asked: ${context.summary}`,
          { code: 'CONTEXT.UNAVAILABLE' },
        );
      }

      await ctx.reportProgress(1, STEPS, 'building the prompts');
      const system = prompts.buildSystemPrompt(type);
      const task = prompts.buildInsightPrompt(insight, context);
      const user = question ? `${task}\n\nThe question to answer: ${question}` : task;

      await ctx.reportProgress(2, STEPS, model ? `asking ${model}` : 'asking the model');
      const response = await askModel(
        gateway,
        { ...(model ? { model } : {}), system, messages: [{ role: 'user', content: user }] },
        ctx,
      );
      await ctx.reportProgress(STEPS, STEPS, 'done');
      return jsonResult({
        answer: response.text,
        context_type: type,
        insight_type: insight,
        ...(service ? { service } : {}),
        time_range: period,
        no_data: rendering.noData,
        omitted: rendering.omissions,
        estimated_context_tokens: rendering.estimatedTokens,
        ...usageOf(response),
      });
    },
  });
}
