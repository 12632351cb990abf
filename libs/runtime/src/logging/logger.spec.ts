import { describe, expect, it } from '@jest/globals';
import { ValidationError, type Logger as DomainLogger } from '@tfo/domain';
import { Writable } from 'node:stream';
import {
  createLogger,
  mcpLevelToPino,
  MCP_LOG_LEVELS,
  noopLogger,
  setLogLevel,
  type CreateLoggerOptions,
  type Logger,
} from './logger.js';

/** An in-memory destination that keeps every chunk written. */
function memoryStream(): { stream: Writable; text: () => string; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  const text = () => chunks.join('');
  const lines = () =>
    text()
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { stream, text, lines };
}

function jsonLogger(overrides: Partial<CreateLoggerOptions> = {}) {
  const memory = memoryStream();
  const logger = createLogger({
    level: 'info',
    format: 'json',
    name: 'tfo-test',
    destination: memory.stream,
    ...overrides,
  });
  return { logger, ...memory };
}

describe('createLogger (json)', () => {
  it('writes one JSON object per line with level name, time, name and message', () => {
    const { logger, lines } = jsonLogger();
    logger.info({ tool: 'pg_query', rows: 3 }, 'tool finished');
    logger.debug('not written at info');
    expect(lines()).toHaveLength(1);
    expect(lines()[0]).toMatchObject({
      level: 'info',
      name: 'tfo-test',
      tool: 'pg_query',
      rows: 3,
      msg: 'tool finished',
    });
    expect(typeof lines()[0]?.['time']).toBe('string');
  });

  it('adds child bindings', () => {
    const { logger, lines } = jsonLogger();
    logger.child({ component: 'datasources' }).child({ sessionId: 's-1' }).warn('slow');
    expect(lines()[0]).toMatchObject({
      component: 'datasources',
      sessionId: 's-1',
      msg: 'slow',
      level: 'warn',
    });
  });

  it('redacts secret fields at the top level and nested', () => {
    const { logger, text, lines } = jsonLogger();
    logger.info(
      {
        apiKey: 'sk-1',
        password: 'pw-2',
        headers: { authorization: 'Bearer tok-3', cookie: 'sid=4' },
        provider: { token: 'tok-5', config: { clientSecret: 'cs-6' } },
        connectionString: 'Server=x;Password=pw-7',
      },
      'configured',
    );
    for (const secret of ['sk-1', 'pw-2', 'tok-3', 'sid=4', 'tok-5', 'cs-6', 'pw-7'])
      expect(text()).not.toContain(secret);
    expect(lines()[0]).toMatchObject({
      apiKey: '[REDACTED]',
      headers: { authorization: '[REDACTED]' },
      provider: { token: '[REDACTED]' },
    });
  });

  it('strips credentials from URLs in fields, bindings, messages and errors', () => {
    const { logger, text, lines } = jsonLogger();
    logger
      .child({ dsn: 'postgres://app:pw-1@db:5432/tfo' })
      .info(
        { url: 'https://u:pw-2@ch:8443', nested: { target: 'clickhouse://d:pw-3@ch' } },
        'connecting to http://x:pw-4@h',
      );
    logger.error(new Error('connect ECONNREFUSED postgres://app:pw-5@db'));
    logger.error({ err: new Error('boom at http://a:pw-6@h') }, 'failed');
    for (const secret of ['pw-1', 'pw-2', 'pw-3', 'pw-4', 'pw-5', 'pw-6'])
      expect(text()).not.toContain(secret);
    const [first, second, third] = lines();
    expect(first).toMatchObject({
      dsn: 'postgres://app:[REDACTED]@db:5432/tfo',
      url: 'https://u:[REDACTED]@ch:8443',
      msg: 'connecting to http://x:[REDACTED]@h',
    });
    expect(second).toMatchObject({
      msg: 'connect ECONNREFUSED postgres://app:[REDACTED]@db',
      err: { type: 'Error' },
    });
    expect(third).toMatchObject({ msg: 'failed', err: { message: 'boom at http://a:[REDACTED]@h' } });
  });

  it('changes level live, for the logger and the children it already made', () => {
    const { logger, lines } = jsonLogger();
    const child = logger.child({ component: 'tools' });
    child.debug('hidden');
    setLogLevel(logger, 'debug');
    child.debug('shown');
    logger.debug('shown too');
    setLogLevel(logger, 'error');
    child.warn('hidden again');
    expect(lines().map((line) => line['msg'])).toEqual(['shown', 'shown too']);
    expect(logger.level).toBe('error');
  });

  it('rejects unknown level names', () => {
    const { logger } = jsonLogger();
    expect(() => setLogLevel(logger, 'loud' as never)).toThrow(ValidationError);
    expect(() =>
      createLogger({
        level: 'verbose' as never,
        format: 'json',
        name: 'x',
        destination: memoryStream().stream,
      }),
    ).toThrow(/Unknown log level "verbose"/);
  });

  it('is silent at level silent', () => {
    const { logger, text } = jsonLogger({ level: 'silent' });
    logger.error('nothing');
    expect(text()).toBe('');
  });
});

describe('createLogger (pretty)', () => {
  it('writes readable, uncoloured lines', async () => {
    const { stream, text } = memoryStream();
    const logger = createLogger({ level: 'info', format: 'pretty', name: 'tfo-test', destination: stream });
    logger.info({ password: 'pw-1', url: 'http://u:pw-2@h' }, 'hello there');
    for (let attempt = 0; attempt < 50 && !text().includes('hello there'); attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(text()).toContain('INFO');
    expect(text()).toContain('hello there');
    expect(text()).not.toContain('pw-1');
    expect(text()).not.toContain('pw-2');
    expect(text()).not.toContain('\u001b[');
  });
});

describe('mcpLevelToPino', () => {
  it('maps every MCP level', () => {
    expect(Object.fromEntries(MCP_LOG_LEVELS.map((level) => [level, mcpLevelToPino(level)]))).toEqual({
      debug: 'debug',
      info: 'info',
      notice: 'info',
      warning: 'warn',
      error: 'error',
      critical: 'fatal',
      alert: 'fatal',
      emergency: 'fatal',
    });
    expect(() => mcpLevelToPino('verbose' as never)).toThrow(ValidationError);
  });
});

describe('the structural Logger type', () => {
  it('is satisfied by the pino logger and the no-op logger, and fits the domain port', () => {
    const { logger } = jsonLogger();
    const asRuntime: Logger = logger;
    const asDomain: DomainLogger = asRuntime;
    const noopAsDomain: DomainLogger = noopLogger;
    asDomain.info({ a: 1 }, 'typed');
    noopAsDomain.error('dropped');
    expect(noopLogger.child({ a: 1 })).toBe(noopLogger);
    noopLogger.level = 'debug';
    expect(noopLogger.level).toBe('silent');
  });
});
