/** DI tokens owned by @tfo/mcp-tools. */
export const MCP_TOKENS = {
  /** {@link McpToolsConfig} given to `registerMcpTools`. */
  Config: Symbol.for('tfo.mcp.Config'),
  /** The assembled {@link ServerDependencies}. */
  ServerDependencies: Symbol.for('tfo.mcp.ServerDependencies'),
  /** The process-wide {@link SessionRegistry}. */
  SessionRegistry: Symbol.for('tfo.mcp.SessionRegistry'),
  /** Extra health checks shown in `status://health`. */
  HealthChecks: Symbol.for('tfo.mcp.HealthChecks'),
} as const;
