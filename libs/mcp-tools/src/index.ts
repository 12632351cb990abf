/**
 * @tfo/mcp-tools: every MCP tool, resource and prompt of TelemetryFlow MCP as a
 * definition, and `buildServer`, the one function that builds an MCP server from a
 * container. The only library that imports the MCP SDK.
 */
export {
  defineTool,
  definePrompt,
  detachedCallContext,
  textResult,
  jsonResult,
  type ToolAnnotations,
  type ToolCallContext,
  type ToolCategory,
  type ToolContent,
  type ToolDefinition,
  type ToolResult,
  type PromptDefinition,
  type PromptMessage,
  type ResourceContent,
  type ResourceDefinition,
  type ResourceReadContext,
  type StaticResourceDefinition,
  type TemplateResourceDefinition,
} from './definitions.js';
export { registerMcpTools, type McpToolsConfig } from './register.js';
export {
  buildServer,
  buildServerFrom,
  type McpLogLevel,
  type ServeContext,
  type ServerDependencies,
} from './server/build-server.js';
export { SessionRegistry, InMemorySessionStore, noopEventPublisher } from './server/session-registry.js';
export { MCP_TOKENS } from './server/tokens.js';
export {
  ALL_SCOPES,
  TOOL_SCOPES,
  mayUse,
  toolScopesOf,
  type Principal,
  type ToolScope,
} from './server/scopes.js';
export { PathGuard, isWithin } from './files/path-guard.js';
export {
  FileService,
  globToRegExp,
  type FileLimits,
  type DirectoryEntry,
  type EntryList,
} from './files/file-service.js';
export { CommandRunner, type CommandSettings, type CommandOutcome } from './commands/command-runner.js';
export type { HealthCheck } from './resources/health.resource.js';
export { createSqlTools, type SqlToolDependencies } from './sql/catalog.js';
export type { SqlWriteGate } from './sql/write-gate.js';
export type { ServerIdentity } from './tools/system-info.tool.js';
