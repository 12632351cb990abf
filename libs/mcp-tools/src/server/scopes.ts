/**
 * Scopes: what a credential of the HTTP server may do. Every tool names the one scope it
 * needs (or none, for tools that touch no tenant data and no system); a caller sees and may
 * call only the tools its scopes cover. On stdio the single local user holds every scope.
 *
 * Decisions:
 * - Our scopes carry the `mcp:` prefix so they sit beside the platform's own API key
 *   scopes (`metrics:read`, `logs:write`, ...) in the same `api_keys.scopes` column.
 * - `mcp:*` grants every scope. The platform's read scopes for telemetry (`metrics:read`,
 *   `logs:read`, `traces:read`) imply `mcp:telemetry:read`, so an existing read-only key
 *   works for the telemetry tools and nothing more.
 * - Unknown scope names are ignored (a token may carry scopes of other resources).
 */

/** Every scope a tool may require. */
export const TOOL_SCOPES = [
  'mcp:telemetry:read',
  'mcp:sql:query',
  'mcp:llm:use',
  'mcp:files:read',
  'mcp:files:write',
  'mcp:commands:run',
] as const;

/** A scope a tool may require. */
export type ToolScope = (typeof TOOL_SCOPES)[number];

/** The scope granting every other one. */
export const ALL_SCOPES = 'mcp:*';

/** Platform scopes that imply one of ours. */
const IMPLIED: Readonly<Record<string, ToolScope>> = {
  'metrics:read': 'mcp:telemetry:read',
  'logs:read': 'mcp:telemetry:read',
  'traces:read': 'mcp:telemetry:read',
};

const KNOWN = new Set<string>(TOOL_SCOPES);

/** Turns granted scope names (from an API key row or a token's `scope` claim) into tool scopes. */
export function toolScopesOf(granted: Iterable<string>): ReadonlySet<ToolScope> {
  const out = new Set<ToolScope>();
  for (const raw of granted) {
    const name = raw.trim();
    if (name === ALL_SCOPES) return new Set(TOOL_SCOPES);
    if (KNOWN.has(name)) out.add(name as ToolScope);
    const implied = IMPLIED[name];
    if (implied) out.add(implied);
  }
  return out;
}

/** Who an MCP server instance acts for. */
export interface Principal {
  /** The organization every tenant query is scoped to. */
  organizationId: string;
  /** Who: the API key's id, the token's subject, or `local` on stdio. */
  subject: string;
  /** How the caller proved it. */
  kind: 'api_key' | 'oauth' | 'anonymous' | 'local';
  /** The tool scopes granted. */
  scopes: ReadonlySet<ToolScope>;
}

/** True when `principal` may use a tool requiring `scope` (tools without one are open to all). */
export function mayUse(principal: Pick<Principal, 'scopes'>, scope: ToolScope | null): boolean {
  return scope === null || principal.scopes.has(scope);
}
