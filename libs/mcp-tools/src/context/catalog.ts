/**
 * The context tools: list_context_types always; build_system_prompt always (pure);
 * collect_telemetry_context and build_insight_prompt when at least one engine is registered,
 * over one ContextCollector and one PromptBuilder; analyze_telemetry with them when a model
 * gateway is configured too.
 */
import { ContextCollector } from '@tfo/context-collector';
import type { SqlDatasource } from '@tfo/domain';
import type { LlmGateway } from '@tfo/llm-providers/gateway';
import { PromptBuilder } from '@tfo/prompt-builder';
import type { ToolDefinition } from '../definitions.js';
import { createAnalyzeTelemetryTool } from '../tools/analyze-telemetry.tool.js';
import { createBuildInsightPromptTool } from '../tools/build-insight-prompt.tool.js';
import { createBuildSystemPromptTool } from '../tools/build-system-prompt.tool.js';
import { createCollectTelemetryContextTool } from '../tools/collect-telemetry-context.tool.js';
import { createListContextTypesTool } from '../tools/list-context-types.tool.js';

/** Deadline of one collection and token budget of one context prompt. */
export interface ContextToolSettings {
  deadlineMs: number;
  maxContextTokens: number;
}

/** What the context tools are built from. */
export interface ContextToolDependencies {
  postgres?: SqlDatasource | undefined;
  clickhouse?: SqlDatasource | undefined;
  now: () => Date;
  settings?: ContextToolSettings;
  /** Models for analyze_telemetry; absent, the tool is not offered. */
  gateway?: LlmGateway | undefined;
}

/** The context tools the registered engines allow. */
export function createContextTools(deps: ContextToolDependencies): ToolDefinition[] {
  const prompts = new PromptBuilder(
    deps.settings ? { maxContextTokens: deps.settings.maxContextTokens } : {},
  );
  const tools: unknown[] = [createListContextTypesTool(), createBuildSystemPromptTool(prompts)];
  if (deps.postgres || deps.clickhouse) {
    const collector = new ContextCollector({
      ...(deps.postgres ? { postgres: deps.postgres } : {}),
      ...(deps.clickhouse ? { clickhouse: deps.clickhouse } : {}),
      ...(deps.settings ? { deadlineMs: deps.settings.deadlineMs } : {}),
      clock: { now: deps.now },
    });
    tools.push(
      createCollectTelemetryContextTool(collector, deps.now),
      createBuildInsightPromptTool(collector, prompts, deps.now),
    );
    if (deps.gateway) {
      tools.push(createAnalyzeTelemetryTool({ collector, prompts, gateway: deps.gateway, now: deps.now }));
    }
  }
  return tools as ToolDefinition[];
}
