import { describe, expect, it } from '@jest/globals';
import { ValidationError } from '@tfo/domain';
import { DEMO_SIZES, MAX_HISTORY_HOURS, resolveDemoSize } from './size.js';

describe('resolveDemoSize', () => {
  it('resolves presets, standard by default', () => {
    expect(resolveDemoSize()).toEqual({ label: 'standard', spec: DEMO_SIZES.standard });
    expect(resolveDemoSize('small').spec.historyHours).toBe(6);
    expect(resolveDemoSize('large').spec.historyHours).toBe(MAX_HISTORY_HOURS);
  });

  it('keeps every preset inside the raw tables TTL of 14 days', () => {
    for (const spec of Object.values(DEMO_SIZES)) expect(spec.historyHours).toBeLessThan(14 * 24);
  });

  it('names explicit numbers that equal a preset after it, others custom', () => {
    expect(resolveDemoSize({ ...DEMO_SIZES.small }).label).toBe('small');
    expect(resolveDemoSize({ ...DEMO_SIZES.small, historyHours: 2 }).label).toBe('custom');
  });

  it('rejects sizes outside the limits', () => {
    for (const bad of [
      { ...DEMO_SIZES.small, historyHours: 14 * 24 },
      { ...DEMO_SIZES.small, historyHours: 0 },
      { ...DEMO_SIZES.small, metricIntervalSeconds: 5 },
      { ...DEMO_SIZES.small, tracesPerMinute: Number.NaN },
    ]) {
      expect(() => resolveDemoSize(bad)).toThrow(ValidationError);
    }
    expect(() => resolveDemoSize('huge' as never)).toThrow(/Unknown demo size/);
  });
});
