/**
 * MCP server instances for HTTP callers. Every instance is built for one authenticated caller:
 * it acts for the caller's organization, lists only the tools the caller's scopes cover, and
 * holds a concurrency slot of the caller's credential around every tool call.
 *
 * Decisions:
 * - The caller reaches the SDK's per-request factory as `authInfo` (the SDK's documented
 *   pass-through); `extra.caller` carries the principal and the credential id. No secret is in it.
 * - A call over the caller's concurrency allowance is answered as a tool error with code
 *   `LIMIT.CONCURRENCY` (thrown as a LimitExceededError, turned into an `isError` result by
 *   `buildServer`): the model reads it and retries later, in either protocol era, and the refusal
 *   is recorded and counted like any other failed call.
 */
import type { AuthInfo, McpServer, McpServerFactory } from '@modelcontextprotocol/server';
import { LimitExceededError } from '@tfo/domain';
import { buildServerFrom, type ServerDependencies, type ToolDefinition } from '@tfo/mcp-tools';
import type { Authenticated, ConcurrencyLimiter } from './auth/types.js';
import type { Metrics } from './metrics.js';

/** The transport name recorded on sessions and tool calls. */
export const TRANSPORT = 'http';

/** Who an instance serves: the outcome of authentication. */
export type Caller = Pick<Authenticated, 'principal' | 'credentialId' | 'rateClass'>;

/** The SDK `authInfo` carrying `caller` to the factory. */
export function authInfoFor(caller: Caller): AuthInfo {
  return {
    token: '',
    clientId: caller.credentialId,
    scopes: [...caller.principal.scopes],
    extra: { caller },
  };
}

/** The caller carried by `authInfo`, or undefined when there is none. */
export function callerOf(authInfo: AuthInfo | undefined): Caller | undefined {
  const caller = authInfo?.extra?.['caller'] as Caller | undefined;
  return caller && typeof caller.credentialId === 'string' ? caller : undefined;
}

/** What {@link InstanceFactory} needs. */
export interface InstanceFactoryOptions {
  /** The catalog and collaborators every instance shares. */
  deps: ServerDependencies;
  concurrency: ConcurrencyLimiter;
  /** Calls of one expensive tool a credential may run at once (for the refusal message). */
  concurrencyLimit: number;
  metrics: Metrics;
}

/** Builds MCP server instances for callers; see the module header. */
export class InstanceFactory {
  private readonly scopes: ReadonlyMap<string, ToolDefinition['scope']>;

  constructor(private readonly options: InstanceFactoryOptions) {
    this.scopes = new Map(options.deps.tools.map((tool) => [tool.name, tool.scope]));
  }

  /** The scope tool `name` requires: null for open tools, undefined for tools that do not exist. */
  scopeOf(name: string): ToolDefinition['scope'] | undefined {
    return this.scopes.get(name);
  }

  /** One instance for `caller`; `ephemeral` for one stateless request, else for a session. */
  build(era: 'legacy' | 'modern', caller: Caller, ephemeral: boolean): McpServer {
    const { deps } = this.options;
    return buildServerFrom(
      { ...deps, tools: this.guarded(deps.tools, caller.credentialId) },
      { era, transport: TRANSPORT, principal: caller.principal, ephemeral },
    );
  }

  /** The SDK factory of stateless serving: one ephemeral instance per request, for its caller. */
  readonly perRequest: McpServerFactory = (ctx) => {
    const caller = callerOf(ctx.authInfo);
    if (!caller) throw new Error('An MCP request reached the server factory without an authenticated caller');
    return this.build(ctx.era, caller, true);
  };

  private guarded(tools: readonly ToolDefinition[], credentialId: string): ToolDefinition[] {
    const { concurrency, concurrencyLimit, metrics } = this.options;
    return tools.map((tool) => ({
      ...tool,
      handler: async (args, ctx) => {
        const release = concurrency.acquire(credentialId, tool.name);
        if (!release) {
          metrics.concurrencyLimitedCall(tool.name);
          throw new LimitExceededError(
            `${tool.name} is already running ${concurrencyLimit} time(s) for this credential, the most allowed at once. ` +
              'Wait for a running call to finish, then retry in a few seconds.',
            { code: 'LIMIT.CONCURRENCY', details: { tool: tool.name, limit: concurrencyLimit } },
          );
        }
        try {
          return await tool.handler(args, ctx);
        } finally {
          release();
        }
      },
    }));
  }
}
