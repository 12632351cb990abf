import type { PromptBuilder } from '@tfo/prompt-builder';
import { z } from 'zod';
import { defineTool, textResult } from '../definitions.js';
import { contextTypeArgument, contextTypeOf } from '../context/context-arguments.js';

/** `build_system_prompt`: the system prompt (persona and rules) for one context type. */
export function createBuildSystemPromptTool(prompts: PromptBuilder) {
  return defineTool({
    name: 'build_system_prompt',
    title: 'Build system prompt',
    category: 'telemetry',
    scope: null,
    description:
      'Build the system prompt TelemetryFlow uses for one context type: the analyst persona of that domain (what to check first, ' +
      'which numbers matter, what to recommend) and the rules (cite real numbers, [SYSTEM] summaries mean a data source problem). ' +
      'Optionally add your own guidance with custom_prompt.',
    inputSchema: z.object({
      context_type: contextTypeArgument,
      custom_prompt: z
        .string()
        .max(8_000, { error: 'custom_prompt must be at most 8000 characters' })
        .optional()
        .describe('Extra guidance placed before the rules'),
    }),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async handler({ context_type, custom_prompt }) {
      const type = contextTypeOf(context_type);
      const system = prompts.buildSystemPrompt(type, custom_prompt);
      return textResult(system, { context_type: type, system_prompt: system });
    },
  });
}
