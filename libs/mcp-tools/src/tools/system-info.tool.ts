import { arch, cpus, freemem, hostname, loadavg, platform, release, totalmem, uptime } from 'node:os';
import { z } from 'zod';
import { defineTool, jsonResult } from '../definitions.js';

/** What the server knows about itself. */
export interface ServerIdentity {
  name: string;
  version: string;
  startedAt: Date;
  transport: string;
}

/** `system_info`: describes the host and the server process. */
export function createSystemInfoTool(identity: ServerIdentity, now: () => Date) {
  return defineTool({
    name: 'system_info',
    title: 'System information',
    category: 'system',
    scope: null,
    description:
      'Describe the machine and process the MCP server runs on: OS, CPU, memory, load, Node.js version, server version and uptime.',
    inputSchema: z.object({}),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    async handler() {
      const mem = process.memoryUsage();
      const cpuList = cpus();
      return jsonResult({
        server: {
          name: identity.name,
          version: identity.version,
          transport: identity.transport,
          uptimeSeconds: Math.round((now().getTime() - identity.startedAt.getTime()) / 1000),
          pid: process.pid,
          node: process.version,
          rssBytes: mem.rss,
          heapUsedBytes: mem.heapUsed,
        },
        host: {
          hostname: hostname(),
          platform: platform(),
          release: release(),
          arch: arch(),
          cpuCount: cpuList.length,
          cpuModel: cpuList[0]?.model ?? 'unknown',
          loadAverage: loadavg(),
          memoryTotalBytes: totalmem(),
          memoryFreeBytes: freemem(),
          uptimeSeconds: Math.round(uptime()),
        },
      });
    },
  });
}
