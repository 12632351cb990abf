/**
 * The only module that turns definitions into an MCP SDK server. Everything about the
 * SDK (registration calls, context shape, protocol errors) lives here, so tool files
 * stay SDK-free and an SDK upgrade touches one file.
 *
 * Per instance (one stdio connection, or one HTTP request in stateless mode) it:
 * - registers every tool with a wrapper that times, logs, records and catches;
 * - registers resources and prompts, mapping domain errors to JSON-RPC errors;
 * - records every tool call, resource read and error with the ActivityRecorder (arguments
 *   only as a digest);
 * - opens a Session aggregate at the handshake and closes it with the connection;
 * - answers `logging/setLevel` by changing the live log level.
 */
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import {
  CLIENT_CAPABILITIES_META_KEY,
  McpServer,
  ProtocolError,
  ProtocolErrorCode,
  ResourceNotFoundError,
  ResourceTemplate,
  inputRequired,
  type CallToolResult,
  type ServerContext,
} from '@modelcontextprotocol/server';
import {
  NotFoundError,
  PermissionDeniedError,
  ValidationError,
  LimitExceededError,
  isTfoError,
  noopActivityRecorder,
  type ActivityRecorder,
  type Clock,
  type IdSource,
  type LlmProvider,
  type Logger,
  type Session,
} from '@tfo/domain';
import type { DependencyContainer } from 'tsyringe';
import type {
  PromptDefinition,
  ResourceDefinition,
  ResourceReadContext,
  ToolCallContext,
  ToolDefinition,
  ToolResult,
} from '../definitions.js';
import type { ServerIdentity } from '../tools/system-info.tool.js';
import {
  SamplingProvider,
  SamplingRequired,
  type SamplingAnswer,
  type SamplingParams,
} from '../llm/sampling-provider.js';
import { argumentsDigest } from './arguments-digest.js';
import { toolErrorResult } from './error-boundary.js';
import type { SessionRegistry } from './session-registry.js';
import { mayUse, type Principal } from './scopes.js';
import { MCP_TOKENS } from './tokens.js';

/** `_meta` key under which a 2026-07-28 request names its client. */
const CLIENT_INFO_META_KEY = 'io.modelcontextprotocol/clientInfo';

/** Longest wait for the client's model to answer a 2025-11-25 sampling request. */
const SAMPLING_TIMEOUT_MS = 300_000;

/** MCP logging levels (RFC 5424 names) accepted by `logging/setLevel`. */
export type McpLogLevel =
  'debug' | 'info' | 'notice' | 'warning' | 'error' | 'critical' | 'alert' | 'emergency';

/** Everything a server instance needs; registered in the container by `registerMcpTools`. */
export interface ServerDependencies {
  identity: ServerIdentity;
  logger: Logger;
  clock: Clock;
  ids: IdSource;
  tools: readonly ToolDefinition[];
  resources: readonly ResourceDefinition[];
  prompts: readonly PromptDefinition[];
  sessions: SessionRegistry;
  /** Where tool calls, resource reads and errors are recorded. Default: nowhere. */
  activity?: ActivityRecorder;
  /** Changes the process log level; called on `logging/setLevel`. */
  setLogLevel?: (level: McpLogLevel) => void;
  /** Organization the session acts for (stdio: from configuration). */
  organizationId?: string;
  /** Server instructions sent at the handshake. */
  instructions?: string;
}

/** How the instance will be served. */
export interface ServeContext {
  era: 'legacy' | 'modern';
  transport: string;
  /**
   * Who the instance serves (HTTP: from the request's credential). Its organization
   * replaces the configured one, and only the tools its scopes cover are registered.
   * Absent: the local user of a single-tenant server, with every tool.
   */
  principal?: Principal;
  /**
   * One request of a stateless transport: the session is neither stored nor recorded
   * (its tool calls still are).
   */
  ephemeral?: boolean;
}

function protocolErrorFor(error: unknown, uri: string): ProtocolError {
  if (error instanceof ProtocolError) return error;
  // The SDK answers every resource miss with -32602 and data.uri (the 2026-07-28 rule), for both eras.
  if (error instanceof NotFoundError) return new ResourceNotFoundError(uri);
  if (
    error instanceof PermissionDeniedError ||
    error instanceof ValidationError ||
    error instanceof LimitExceededError
  ) {
    return new ProtocolError(ProtocolErrorCode.InvalidParams, error.message, { uri, code: error.code });
  }
  const message = isTfoError(error) ? error.message : 'Internal error while reading the resource';
  return new ProtocolError(ProtocolErrorCode.InternalError, message, { uri });
}

/** Builds one `McpServer` instance from the dependencies registered in `container`. */
export function buildServer(container: DependencyContainer, serve: ServeContext): McpServer {
  return buildServerFrom(container.resolve<ServerDependencies>(MCP_TOKENS.ServerDependencies), serve);
}

/** Builds one `McpServer` instance from explicit dependencies. */
export function buildServerFrom(deps: ServerDependencies, serve: ServeContext): McpServer {
  const server = new McpServer(
    { name: deps.identity.name, version: deps.identity.version, title: 'TelemetryFlow MCP' },
    {
      capabilities: { tools: {}, resources: {}, prompts: {}, logging: {} },
      ...(deps.instructions ? { instructions: deps.instructions } : {}),
    },
  );
  const low = server.server;
  const activity = deps.activity ?? noopActivityRecorder;
  const { principal } = serve;
  const organizationOfInstance = principal ? principal.organizationId : deps.organizationId;
  const tools = principal ? deps.tools.filter((tool) => mayUse(principal, tool.scope)) : deps.tools;
  let session: Session | undefined;
  let rootsCache: Promise<string[] | undefined> | undefined;

  /**
   * The client's name and version: from the handshake (2025-11-25), or from the request's
   * `_meta` envelope (2026-07-28 has no handshake; each request names its client).
   */
  let lastClient: { name: string; version: string } | undefined;
  const clientOf = (ctx?: ServerContext): { name: string; version: string } | undefined => {
    const envelope = ctx?.mcpReq.envelope as Record<string, unknown> | undefined;
    const fromMeta = (envelope?.[CLIENT_INFO_META_KEY] ?? ctx?.mcpReq._meta?.[CLIENT_INFO_META_KEY]) as
      { name?: unknown; version?: unknown } | undefined;
    if (fromMeta && typeof fromMeta.name === 'string') {
      lastClient = {
        name: fromMeta.name,
        version: typeof fromMeta.version === 'string' ? fromMeta.version : '',
      };
    }
    return low.getClientVersion() ?? lastClient;
  };

  const ensureSession = (ctx?: ServerContext): Session => {
    if (!session) {
      const client = clientOf(ctx);
      const info = {
        ...(client?.name ? { name: client.name } : {}),
        ...(client?.version ? { version: client.version } : {}),
        protocolVersion: serve.era === 'modern' ? '2026-07-28' : 'legacy',
      };
      if (serve.ephemeral) {
        session = deps.sessions.ephemeral(serve.transport, info, organizationOfInstance);
        return session;
      }
      session = deps.sessions.start(serve.transport, info, organizationOfInstance);
      deps.logger.info({ sessionId: session.id, era: serve.era, client: client?.name }, 'session ready');
    }
    return session;
  };

  low.oninitialized = () => {
    ensureSession();
  };
  low.onclose = () => {
    if (session && !serve.ephemeral) deps.sessions.close(session, 'connection closed');
  };

  /** Who is calling, as recorded: the credential's subject (HTTP) and the client's name and version. */
  const caller = (): string => {
    const client = clientOf();
    const software = client ? `${client.name}/${client.version}` : '';
    return principal ? `${principal.kind}:${principal.subject}${software ? ` ${software}` : ''}` : software;
  };

  const clientRoots = (): Promise<string[] | undefined> => {
    if (serve.era !== 'legacy' || !low.getClientCapabilities()?.roots) return Promise.resolve(undefined);
    rootsCache ??= low
      .listRoots()
      .then((r) =>
        r.roots.filter((root) => root.uri.startsWith('file://')).map((root) => fileURLToPath(root.uri)),
      )
      .catch((error: unknown) => {
        deps.logger.warn(
          { err: error },
          'client offered roots but listing them failed; using configured roots only',
        );
        rootsCache = undefined;
        return undefined;
      });
    return rootsCache;
  };
  if (serve.era === 'legacy') {
    low.setNotificationHandler('notifications/roots/list_changed', async () => {
      rootsCache = undefined;
    });
  }

  /**
   * The client's model, when the client can sample: asked directly on a 2025-11-25
   * connection; on 2026-07-28 through an `input_required` round (the answer arrives with the
   * retried call, under the same key).
   */
  const samplingOf = (ctx: ServerContext): LlmProvider | undefined => {
    if (serve.era === 'legacy') {
      if (!low.getClientCapabilities()?.sampling) return undefined;
      return new SamplingProvider(
        async (params, signal) =>
          (await ctx.mcpReq.requestSampling(params as never, {
            ...(signal ? { signal } : {}),
            timeout: SAMPLING_TIMEOUT_MS,
          })) as SamplingAnswer,
      );
    }
    const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
    const capabilities = (envelope?.[CLIENT_CAPABILITIES_META_KEY] ??
      ctx.mcpReq._meta?.[CLIENT_CAPABILITIES_META_KEY]) as { sampling?: unknown } | undefined;
    if (!capabilities?.sampling) return undefined;
    let round = 0;
    return new SamplingProvider(async (params: SamplingParams) => {
      round += 1;
      const key = `sampling-${round}`;
      const answer = ctx.mcpReq.inputResponses?.[key];
      if (answer && typeof answer === 'object') return answer as SamplingAnswer;
      throw new SamplingRequired(key, params);
    });
  };

  low.setRequestHandler('logging/setLevel', async (request) => {
    deps.setLogLevel?.(request.params.level as McpLogLevel);
    deps.logger.info({ requestedLevel: request.params.level }, 'log level changed by client');
    return {};
  });

  for (const tool of tools) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.inputSchema,
        annotations: { title: tool.title, ...tool.annotations },
      },
      async (args: unknown, ctx: ServerContext): Promise<CallToolResult> => {
        const current = ensureSession(ctx);
        const reference = deps.ids.newId();
        const log = deps.logger.child({ sessionId: current.id, tool: tool.name, callId: reference });
        const progressToken = ctx.mcpReq._meta?.progressToken;
        const callCtx: ToolCallContext = {
          logger: log,
          signal: ctx.mcpReq.signal,
          sessionId: current.id,
          organizationId: current.organizationId,
          caller: caller(),
          sampling: samplingOf(ctx),
          clientRoots,
          async reportProgress(progress, total, message) {
            if (progressToken === undefined) return;
            await ctx.mcpReq.notify({
              method: 'notifications/progress',
              params: {
                progressToken,
                progress,
                ...(total === undefined ? {} : { total }),
                ...(message === undefined ? {} : { message }),
              },
            });
          },
        };
        const at = deps.clock.now();
        const started = performance.now();
        let result: ToolResult;
        let thrown: unknown;
        try {
          result = await tool.handler(args as never, callCtx);
        } catch (error) {
          if (error instanceof SamplingRequired) {
            // First round of a 2026-07-28 sampling exchange: not a finished call, so not recorded.
            log.debug({ key: error.key }, 'asking the client to sample');
            return inputRequired({
              inputRequests: { [error.key]: inputRequired.createMessage(error.params as never) },
            }) as unknown as CallToolResult;
          }
          thrown = error;
          result = toolErrorResult(error, tool.name, reference, log);
        }
        const durationMs = Math.round((performance.now() - started) * 1000) / 1000;
        const outcome = result.isError ? 'error' : 'success';
        const reported = result.structuredContent?.['error'] as
          { code?: string; message?: string } | undefined;
        const errorCode = result.isError ? (reported?.code ?? 'TOOL.ERROR') : undefined;
        deps.sessions.recordToolCall(current, {
          tool: tool.name,
          durationMs,
          outcome,
          ...(errorCode ? { errorCode } : {}),
        });
        const organizationId = current.organizationId ?? '';
        activity.toolCall({
          at,
          organizationId,
          callId: reference,
          sessionId: current.id,
          tool: tool.name,
          argumentsDigest: argumentsDigest(args),
          durationMs,
          outcome,
          ...(errorCode ? { errorCode } : {}),
          caller: caller(),
        });
        if (errorCode) {
          const text = result.content.find((c) => c.type === 'text');
          activity.error({
            at,
            organizationId,
            sessionId: current.id,
            source: 'tool',
            errorCode,
            errorClass: thrown instanceof Error ? thrown.constructor.name : 'ToolResult',
            message: reported?.message ?? (text && 'text' in text ? text.text : ''),
            tool: tool.name,
          });
        }
        log.info({ durationMs, outcome, ...(errorCode ? { errorCode } : {}) }, 'tool call');
        return { ...result };
      },
    );
  }

  const readContext = (ctx: ServerContext): ResourceReadContext => ({
    logger: deps.logger.child({ sessionId: session?.id }),
    signal: ctx.mcpReq.signal,
    clientRoots,
    organizationId: ensureSession(ctx).organizationId,
  });

  /** Reads a resource, records the read (and its error), and maps failures to protocol errors. */
  const recordedRead = async <T>(uri: URL, ctx: ServerContext, read: () => Promise<T>): Promise<T> => {
    const current = ensureSession(ctx);
    const at = deps.clock.now();
    const started = performance.now();
    const record = (outcome: 'success' | 'error', errorCode?: string) =>
      activity.resourceRead({
        at,
        organizationId: current.organizationId ?? '',
        sessionId: current.id,
        uri: uri.href,
        durationMs: performance.now() - started,
        outcome,
        ...(errorCode ? { errorCode } : {}),
        caller: caller(),
      });
    try {
      const contents = await read();
      record('success');
      return contents;
    } catch (error) {
      const code = isTfoError(error) ? error.code : 'INTERNAL';
      record('error', code);
      activity.error({
        at,
        organizationId: current.organizationId ?? '',
        sessionId: current.id,
        source: 'resource',
        errorCode: code,
        errorClass: error instanceof Error ? error.constructor.name : typeof error,
        message: error instanceof Error ? error.message : String(error),
      });
      throw protocolErrorFor(error, uri.href);
    }
  };

  for (const resource of deps.resources) {
    if (resource.kind === 'static') {
      server.registerResource(
        resource.name,
        resource.uri,
        { title: resource.title, description: resource.description, mimeType: resource.mimeType },
        async (uri: URL, ctx: ServerContext) => ({
          contents: await recordedRead(uri, ctx, () => resource.read(readContext(ctx))),
        }),
      );
    } else {
      server.registerResource(
        resource.name,
        new ResourceTemplate(resource.uriTemplate, { list: undefined }),
        {
          title: resource.title,
          description: resource.description,
          ...(resource.mimeType ? { mimeType: resource.mimeType } : {}),
        },
        async (uri: URL, variables: Record<string, string | string[]>, ctx: ServerContext) => ({
          contents: await recordedRead(uri, ctx, () => resource.read(uri, variables, readContext(ctx))),
        }),
      );
    }
  }

  for (const prompt of deps.prompts) {
    server.registerPrompt(
      prompt.name,
      { title: prompt.title, description: prompt.description, argsSchema: prompt.argsSchema },
      async (args: unknown) => {
        ensureSession();
        return { description: prompt.description, messages: prompt.build(args as never) };
      },
    );
  }

  return server;
}
