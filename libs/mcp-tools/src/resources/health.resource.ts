import type { StaticResourceDefinition } from '../definitions.js';

/** A dependency's health as reported by its probe. */
export interface HealthCheck {
  name: string;
  check(): Promise<{ status: 'up' | 'down' | 'disabled'; detail?: string }>;
}

/** `status://health`: liveness of the server and of each registered dependency. */
export function createHealthResource(args: {
  version: string;
  startedAt: Date;
  now: () => Date;
  activeSessions: () => number;
  checks: readonly HealthCheck[];
}): StaticResourceDefinition {
  return {
    kind: 'static',
    name: 'server-health',
    uri: 'status://health',
    title: 'Server health',
    description: 'Health of the server and its dependencies: status, uptime, version, active sessions.',
    mimeType: 'application/json',
    async read() {
      const components = await Promise.all(
        args.checks.map(async (c) => {
          try {
            return { name: c.name, ...(await c.check()) };
          } catch (error) {
            return { name: c.name, status: 'down' as const, detail: (error as Error).message };
          }
        }),
      );
      const status = components.some((c) => c.status === 'down') ? 'degraded' : 'healthy';
      const body = {
        status,
        version: args.version,
        uptimeSeconds: Math.round((args.now().getTime() - args.startedAt.getTime()) / 1000),
        activeSessions: args.activeSessions(),
        components,
        checkedAt: args.now().toISOString(),
      };
      return [{ uri: 'status://health', mimeType: 'application/json', text: JSON.stringify(body, null, 2) }];
    },
  };
}
