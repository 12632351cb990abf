/**
 * @tfo/domain: the TelemetryFlow domain model. Context types, insight types, time
 * ranges and the TelemetryContext shape; the Session and Conversation aggregates with
 * their domain events; the error taxonomy; the ports other libraries implement and
 * their DI tokens. No I/O and no dependencies.
 */
export {
  CONTEXT_TYPE_CATALOG,
  CONTEXT_TYPE_GROUPS,
  CONTEXT_TYPE_GROUP_LABELS,
  CONTEXT_TYPES,
  DATA_FAMILIES,
  PLATFORM_CONTEXT_TYPES,
  SEED_CONTEXT_TYPES,
  contextTypesByGroup,
  getContextTypeDefinition,
  isContextType,
  parseContextType,
  type ContextType,
  type ContextTypeDefinition,
  type ContextTypeGroup,
  type DataFamily,
  INSIGHT_TYPES,
  isInsightType,
  parseInsightType,
  type InsightType,
  DEFAULT_WINDOW_MS,
  TimeRange,
  parseWindow,
  type TimeInput,
  type TimeRangeJSON,
  type TimeRangeOptions,
  SYSTEM_SUMMARY_PREFIX,
  isSystemContext,
  noDataContext,
  unavailableContext,
  type SystemContextData,
  type SystemContextStatus,
  type TelemetryContext,
  editDistance,
  nearMatches,
} from './context/index.js';
export {
  TfoError,
  ValidationError,
  NotFoundError,
  PermissionDeniedError,
  InvalidStateError,
  LimitExceededError,
  DependencyError,
  ConfigurationError,
  isExpectedError,
  isTfoError,
  McpErrorCode,
  type TfoErrorOptions,
} from './errors/index.js';
export {
  AggregateRoot,
  type DomainEvent,
  type DomainEventBase,
  type DomainEventType,
  type IdGenerator,
  type SessionCreated,
  type SessionInitialized,
  type SessionClosed,
  type ToolExecuted,
  type ConversationCreated,
  type MessageAdded,
} from './session/domain-event.js';
export {
  Session,
  SESSION_STATES,
  type SessionState,
  type SessionSnapshot,
  type ClientInfo,
} from './session/session.js';
export {
  Conversation,
  MESSAGE_ROLES,
  CONVERSATION_STATUSES,
  type ConversationSnapshot,
  type ConversationStatus,
  type ContentBlock,
  type Message,
  type MessageRole,
} from './session/conversation.js';
export { noopLogger, type Logger, type LogFn, type LogLevel } from './ports/logger.port.js';
export type { Clock, IdSource } from './ports/clock.port.js';
export type {
  SqlDatasource,
  SqlEngine,
  QueryOptions,
  QueryResult,
  ResultColumn,
  Truncation,
} from './ports/sql-datasource.port.js';
export type {
  LlmProvider,
  LlmRequest,
  LlmResponse,
  LlmMessage,
  LlmUsage,
} from './ports/llm-provider.port.js';
export type { SessionStore, ConversationStore, EventPublisher } from './ports/stores.port.js';
export type { ApiKeyRecord, ApiKeyStore, IssueApiKeyInput, IssuedApiKey } from './ports/api-key.port.js';
export {
  noopActivityRecorder,
  type ActivityRecorder,
  type ActivityTenant,
  type ErrorRecord,
  type LlmUsageRecord,
  type ResourceReadRecord,
  type SessionActivityRecord,
  type ToolCallRecord,
} from './ports/activity.port.js';
export { TOKENS } from './ports/tokens.js';
export { DEMO_ORGANIZATION_ID, DEMO_SECOND_ORGANIZATION_ID } from './tenancy/demo.js';
