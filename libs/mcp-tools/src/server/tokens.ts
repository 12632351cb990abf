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
  /**
   * The {@link SqlWriteGate} of pg_query / ch_query. Registered by the app only when the
   * operator enabled SQL writes; absent, `read_only: false` is refused.
   */
  SqlWriteGate: Symbol.for('tfo.mcp.SqlWriteGate'),
} as const;
