import { describe, expect, it } from '@jest/globals';
import { type JsonValue } from './json-value.js';
import { classifyField, groupingField, keysToKeep, rowsToKeep, troubleScore } from './importance.js';

describe('troubleScore', () => {
  it('ranks fatal above error above warning above nothing', () => {
    expect(troubleScore({ severity_text: 'FATAL' })).toBe(3);
    expect(troubleScore({ level: 'error' })).toBe(2);
    expect(troubleScore({ status: 'CrashLoopBackOff' })).toBe(2);
    expect(troubleScore({ success: false })).toBe(2);
    expect(troubleScore({ success: 0 })).toBe(2);
    expect(troubleScore({ error_count: 3 })).toBe(2);
    expect(troubleScore({ state: 'degraded' })).toBe(1);
    expect(troubleScore({ severity: 'INFO', error_count: 0, status: 'ok' })).toBe(0);
  });
});

describe('classifyField and keysToKeep', () => {
  it('gives up verbose fields first and identifying fields last, keeping original order', () => {
    expect(classifyField('service_name', 'x')).toBe('identifying');
    expect(classifyField('body', 'x')).toBe('verbose');
    expect(classifyField('p99_ms', 1)).toBe('numeric');
    expect(classifyField('note_x', 'x')).toBe('other');
    const row = { body: 'b', p99_ms: 3, extra: 'e', service_name: 's', timestamp: 't' };
    expect(keysToKeep(row, 3)).toEqual(['p99_ms', 'service_name', 'timestamp']);
    expect(keysToKeep(row, 10)).toEqual(Object.keys(row));
  });
});

describe('rowsToKeep', () => {
  it('samples a series evenly, first and last included', () => {
    expect(rowsToKeep([0, 1, 2, 3, 4, 5, 6, 7, 8], 3)).toEqual([0, 4, 8]);
    expect(rowsToKeep([5, 6], 1)).toEqual([0]);
    expect(rowsToKeep([5, 6], 0)).toEqual([]);
  });

  it('keeps trouble first, then the highest relative values, ignoring ids and times', () => {
    const rows: JsonValue[] = [
      { id: 999_999, count: 1, timestamp: 9e12 },
      { id: 1, count: 50 },
      { id: 2, count: 10, status: 'failed' },
      { id: 3, count: 40 },
    ];
    expect(rowsToKeep(rows, 2)).toEqual([1, 2]);
  });
});

describe('groupingField', () => {
  it('prefers the service, then host, then other identifying fields', () => {
    expect(groupingField([{ host: 'h', service_name: 's' }])).toBe('service_name');
    expect(groupingField([{ host: 'h', name: 'n' }])).toBe('host');
    expect(groupingField([{ value: 1 }])).toBeUndefined();
  });
});
