import { describe, expect, it } from '@jest/globals';
import { ValidationError } from '../errors/index.js';
import {
  SYSTEM_SUMMARY_PREFIX,
  isSystemContext,
  noDataContext,
  unavailableContext,
  type TelemetryContext,
} from './telemetry-context.js';
import { TimeRange } from './time-range.js';

const range = { from: new Date('2024-05-01T11:00:00Z'), to: new Date('2024-05-01T12:00:00Z') };

describe('TelemetryContext', () => {
  it('has exactly the platform fields', () => {
    const context: TelemetryContext<{ rows: number[] }> = {
      type: 'metrics',
      timeRange: TimeRange.lastHour(range.to),
      summary: '3 services reported metrics.',
      data: { rows: [1, 2, 3] },
    };
    expect(Object.keys(context).sort()).toEqual(['data', 'summary', 'timeRange', 'type']);
    expect(isSystemContext(context)).toBe(false);
  });
});

describe('noDataContext', () => {
  it('writes the platform no-data summary', () => {
    const context = noDataContext('kubernetes-pods', range);
    expect(context.summary).toBe(
      '[SYSTEM] No data found for kubernetes-pods in the period 2024-05-01T11:00:00.000Z to 2024-05-01T12:00:00.000Z.',
    );
    expect(context.type).toBe('kubernetes-pods');
    expect(context.data).toEqual({
      status: 'no-data',
      period: { from: '2024-05-01T11:00:00.000Z', to: '2024-05-01T12:00:00.000Z' },
    });
    expect(isSystemContext(context)).toBe(true);
  });

  it('appends a detail when given', () => {
    const context = noDataContext('account-profile', range, 'No user id was supplied.');
    expect(context.summary.endsWith('12:00:00.000Z. No user id was supplied.')).toBe(true);
    expect(context.data.reason).toBe('No user id was supplied.');
  });

  it('copies the dates and accepts a TimeRange', () => {
    const input = { from: new Date(range.from), to: new Date(range.to) };
    const context = noDataContext('logs', input);
    input.from.setTime(0);
    expect(context.timeRange.from.toISOString()).toBe('2024-05-01T11:00:00.000Z');
    expect(noDataContext('logs', TimeRange.lastHour(range.to)).timeRange).toEqual(range);
  });

  it('rejects a range whose from is after to', () => {
    expect(() => noDataContext('logs', { from: range.to, to: range.from })).toThrow(ValidationError);
  });
});

describe('unavailableContext', () => {
  it('writes the platform unavailable summary', () => {
    const context = unavailableContext('db-monitoring-clickhouse', range, 'ClickHouse is not configured.');
    expect(context.summary).toBe(
      '[SYSTEM] db-monitoring-clickhouse data is unavailable: ClickHouse is not configured.',
    );
    expect(context.summary.startsWith(SYSTEM_SUMMARY_PREFIX)).toBe(true);
    expect(context.data).toEqual({
      status: 'unavailable',
      period: { from: '2024-05-01T11:00:00.000Z', to: '2024-05-01T12:00:00.000Z' },
      reason: 'ClickHouse is not configured.',
    });
    expect(isSystemContext(context)).toBe(true);
  });

  it('never leaves the reason blank', () => {
    expect(unavailableContext('logs', range, '  ').summary).toBe(
      '[SYSTEM] logs data is unavailable: no reason was given',
    );
  });
});
