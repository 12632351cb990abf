import { z } from 'zod';
import { defineTool, textResult } from '../definitions.js';

/** `echo`: returns its message. Useful to check the connection and measure round trips. */
export function createEchoTool() {
  return defineTool({
    name: 'echo',
    title: 'Echo',
    category: 'utility',
    scope: null,
    description:
      'Return the given message unchanged. Use it to check that the TelemetryFlow MCP server is reachable; it has no other effect.',
    inputSchema: z.object({
      message: z.string().max(100_000).describe('Text to send back'),
    }),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async handler({ message }) {
      return textResult(message);
    },
  });
}
