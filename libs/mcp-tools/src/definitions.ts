/**
 * Tool, resource and prompt definitions: plain objects that describe one capability
 * each and carry its handler. They do not import the MCP SDK; `buildServer` is the one
 * place that turns them into an `McpServer`, so an SDK upgrade touches one file.
 *
 * Handlers throw typed errors from `@tfo/domain` (or return `isError` results);
 * `buildServer` catches once and turns failures into results the model can act on.
 */
import type { LlmProvider, Logger } from '@tfo/domain';
import type { z } from 'zod';
import type { ToolScope } from './server/scopes.js';

/** Behaviour hints shown to clients. All four are required so no tool forgets one. */
export interface ToolAnnotations {
  /** The tool does not modify its environment. */
  readOnlyHint: boolean;
  /** The tool may destroy or overwrite data. */
  destructiveHint: boolean;
  /** Calling it twice with the same arguments has no further effect. */
  idempotentHint: boolean;
  /** The tool reaches outside the server's own world (network, other systems). */
  openWorldHint: boolean;
}

/** A content block of a tool result. */
export type ToolContent =
  | { type: 'text'; text: string }
  | { type: 'image'; data: string; mimeType: string }
  | {
      type: 'resource';
      resource:
        { uri: string; mimeType?: string; text: string } | { uri: string; mimeType?: string; blob: string };
    };

/** What a tool handler returns. */
export interface ToolResult {
  content: ToolContent[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

/** Per-call facilities a handler may use. Built by `buildServer` for every call. */
export interface ToolCallContext {
  /** Logger bound to this session and tool call. */
  logger: Logger;
  /** Aborted when the client cancels the request or the connection closes. */
  signal: AbortSignal;
  /** Id of the session the call belongs to. */
  sessionId: string;
  /** Who is calling, as recorded: the credential (HTTP) and the client's name and version. */
  caller: string;
  /**
   * The organization the caller acts for (from the transport's identity, or the configured
   * default on stdio). Undefined when none is known: tools reading tenant data must then refuse.
   */
  organizationId: string | undefined;
  /**
   * The client's own model through MCP sampling, when the client offers it; undefined
   * otherwise. Model tools hand it to the LLM gateway as the key-free fallback.
   */
  sampling: LlmProvider | undefined;
  /** Sends a progress notification when the client asked for progress; otherwise does nothing. */
  reportProgress(progress: number, total?: number, message?: string): Promise<void>;
  /** The client's MCP roots as absolute paths, or undefined when the client offers none. */
  clientRoots(): Promise<string[] | undefined>;
}

/**
 * A call context for work that runs outside a tool call (a resource read reusing a tool's
 * query, a test): no session, no caller, no sampling, no progress; what is given wins.
 */
export function detachedCallContext(
  fields: Pick<ToolCallContext, 'logger' | 'signal' | 'organizationId'> & Partial<ToolCallContext>,
): ToolCallContext {
  return {
    sessionId: '',
    caller: '',
    sampling: undefined,
    reportProgress: async () => undefined,
    clientRoots: async () => undefined,
    ...fields,
  };
}

/** Tool category, used to group tools in listings and docs. */
export type ToolCategory = 'utility' | 'file' | 'system' | 'datasource' | 'analytics' | 'telemetry' | 'ai';

/** One MCP tool. */
export interface ToolDefinition<S extends z.ZodObject = z.ZodObject> {
  /** snake_case name the model calls. */
  name: string;
  /** Human-readable name. */
  title: string;
  /** What it does, when to use it, what it returns; written for a model. */
  description: string;
  category: ToolCategory;
  /**
   * The scope a caller needs to see and call the tool; null for tools that read no tenant
   * data and touch nothing (echo, pure prompt builders).
   */
  scope: ToolScope | null;
  inputSchema: S;
  annotations: ToolAnnotations;
  handler(args: z.infer<S>, ctx: ToolCallContext): Promise<ToolResult>;
}

/** Identity helper that keeps the argument type of `handler` tied to `inputSchema`. */
export function defineTool<S extends z.ZodObject>(definition: ToolDefinition<S>): ToolDefinition<S> {
  return definition;
}

/** Contents of a resource read. */
export type ResourceContent =
  { uri: string; mimeType?: string; text: string } | { uri: string; mimeType?: string; blob: string };

/** Per-read facilities a resource handler may use. */
export interface ResourceReadContext {
  logger: Logger;
  signal: AbortSignal;
  clientRoots(): Promise<string[] | undefined>;
  /** The organization the reader acts for; resources over tenant data must use it. */
  organizationId?: string | undefined;
}

/** A resource with a fixed URI. */
export interface StaticResourceDefinition {
  kind: 'static';
  name: string;
  uri: string;
  title: string;
  description: string;
  mimeType: string;
  read(ctx: ResourceReadContext): Promise<ResourceContent[]>;
}

/** A family of resources addressed by an RFC 6570 URI template. */
export interface TemplateResourceDefinition {
  kind: 'template';
  name: string;
  uriTemplate: string;
  title: string;
  description: string;
  mimeType?: string;
  read(
    uri: URL,
    variables: Record<string, string | string[]>,
    ctx: ResourceReadContext,
  ): Promise<ResourceContent[]>;
}

/** Any resource definition. */
export type ResourceDefinition = StaticResourceDefinition | TemplateResourceDefinition;

/** One message of a prompt. */
export interface PromptMessage {
  role: 'user' | 'assistant';
  content: { type: 'text'; text: string };
}

/** An MCP prompt template. Arguments arrive as strings (the protocol's rule). */
export interface PromptDefinition<S extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  argsSchema: S;
  build(args: z.infer<S>): PromptMessage[];
}

/** Identity helper that ties `build`'s argument type to `argsSchema`. */
export function definePrompt<S extends z.ZodObject>(definition: PromptDefinition<S>): PromptDefinition<S> {
  return definition;
}

/** A text result. */
export function textResult(text: string, structuredContent?: Record<string, unknown>): ToolResult {
  return { content: [{ type: 'text', text }], ...(structuredContent ? { structuredContent } : {}) };
}

/** A JSON result: pretty text for the model plus the same object as structured content. */
export function jsonResult(value: Record<string, unknown>): ToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value, null, 2) }], structuredContent: value };
}
