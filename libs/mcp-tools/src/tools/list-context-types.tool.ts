import {
  CONTEXT_TYPE_CATALOG,
  CONTEXT_TYPE_GROUP_LABELS,
  CONTEXT_TYPE_GROUPS,
  ValidationError,
} from '@tfo/domain';
import { z } from 'zod';
import { defineTool, jsonResult } from '../definitions.js';

/** `list_context_types`: the 138 context types collect_telemetry_context accepts, by group. */
export function createListContextTypesTool() {
  return defineTool({
    name: 'list_context_types',
    title: 'List context types',
    category: 'telemetry',
    scope: null,
    description:
      'List the telemetry context types collect_telemetry_context and build_insight_prompt accept (138, in 17 groups), ' +
      'each with its group and what it yields. Filter by group to keep the answer short.',
    inputSchema: z.object({
      group: z
        .string()
        .trim()
        .optional()
        .describe(`Only this group: ${CONTEXT_TYPE_GROUPS.join(', ')}`),
    }),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async handler({ group }) {
      if (group !== undefined && !(CONTEXT_TYPE_GROUPS as readonly string[]).includes(group)) {
        throw new ValidationError(`Unknown group "${group}". Groups: ${CONTEXT_TYPE_GROUPS.join(', ')}.`, {
          details: { group },
        });
      }
      const types = CONTEXT_TYPE_CATALOG.filter((d) => group === undefined || d.group === group).map((d) => ({
        type: d.key,
        group: d.group,
        group_label: CONTEXT_TYPE_GROUP_LABELS[d.group],
        description: d.description,
      }));
      return jsonResult({ count: types.length, types });
    },
  });
}
