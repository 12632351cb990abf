/**
 * Dependency-injection tokens for the ports. Symbols, so two copies of a token never
 * collide by name. Every constructor parameter is decorated with `@inject(TOKEN)`.
 */
export const TOKENS = {
  Logger: Symbol.for('tfo.Logger'),
  Clock: Symbol.for('tfo.Clock'),
  IdSource: Symbol.for('tfo.IdSource'),
  PostgresDatasource: Symbol.for('tfo.PostgresDatasource'),
  ClickHouseDatasource: Symbol.for('tfo.ClickHouseDatasource'),
  LlmProviders: Symbol.for('tfo.LlmProviders'),
  SessionStore: Symbol.for('tfo.SessionStore'),
  ConversationStore: Symbol.for('tfo.ConversationStore'),
  EventPublisher: Symbol.for('tfo.EventPublisher'),
  ActivityRecorder: Symbol.for('tfo.ActivityRecorder'),
  ApiKeyStore: Symbol.for('tfo.ApiKeyStore'),
} as const;
