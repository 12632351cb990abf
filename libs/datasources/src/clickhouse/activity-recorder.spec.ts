import { describe, it, expect } from '@jest/globals';
import type { ToolCallRecord } from '@tfo/domain';
import { ClickHouseActivityRecorder, toClickHouseDateTime } from './activity-recorder.js';
import type { ClickHouseWriter } from './clickhouse-writer.js';

function call(n: number): ToolCallRecord {
  return {
    at: new Date(Date.UTC(2026, 10, 21, 10, 0, 0, n)),
    organizationId: 'org',
    callId: `c${n}`,
    sessionId: 's',
    tool: 'echo',
    argumentsDigest: 'x',
    durationMs: 1.6,
    outcome: 'success',
    caller: 'test/1',
  };
}

/** A writer fake that fails while `down` is true and keeps what it was given. */
function fakeWriter() {
  const inserted: { table: string; rows: Record<string, unknown>[] }[] = [];
  const writer = {
    down: false,
    inserted,
    async insert(table: string, rows: readonly Record<string, unknown>[]) {
      if (writer.down) throw new Error('ClickHouse is down');
      inserted.push({ table, rows: [...rows] });
    },
  };
  return writer;
}

describe('ClickHouseActivityRecorder', () => {
  it('formats rows for the tables and writes them on flush', async () => {
    const writer = fakeWriter();
    const recorder = new ClickHouseActivityRecorder({
      writer: writer as unknown as ClickHouseWriter,
      flushIntervalMs: 60_000,
    });
    recorder.toolCall(call(1));
    await recorder.flush();
    expect(writer.inserted).toEqual([
      {
        table: 'tool_calls',
        rows: [
          expect.objectContaining({
            timestamp: '2026-11-21 10:00:00.001',
            organization_id: 'org',
            workspace_id: '',
            duration_ms: 2,
            error_code: '',
          }),
        ],
      },
    ]);
    await recorder.close();
  });

  it('keeps rows while the writer is missing or failing, drops the oldest beyond the bound, and resumes', async () => {
    const writer = fakeWriter();
    let available = false;
    const recorder = new ClickHouseActivityRecorder({
      writer: () => (available ? (writer as unknown as ClickHouseWriter) : undefined),
      flushIntervalMs: 60_000,
      batchSize: 1_000,
      maxBuffered: 3,
    });
    for (let n = 1; n <= 5; n++) recorder.toolCall(call(n));
    await recorder.flush();
    expect(recorder.stats).toMatchObject({ buffered: 3, dropped: 2, written: 0 });
    available = true;
    writer.down = true;
    await recorder.flush();
    expect(recorder.stats).toMatchObject({ buffered: 3, failedFlushes: 1 });
    // While failing, neither a full batch nor an early flush retries before the back-off.
    recorder.toolCall(call(6));
    await recorder.flush();
    expect(recorder.stats).toMatchObject({ buffered: 3, failedFlushes: 1, dropped: 3 });
    writer.down = false;
    await recorder.close();
    expect(writer.inserted.flatMap((i) => i.rows.map((r) => r['call_id']))).toEqual(['c4', 'c5', 'c6']);
    expect(recorder.stats).toMatchObject({ buffered: 0, written: 3, dropped: 3 });
  });

  it('writes ClickHouse DateTime64 text in UTC', () => {
    expect(toClickHouseDateTime(new Date('2026-01-02T03:04:05.678Z'))).toBe('2026-01-02 03:04:05.678');
  });
});
