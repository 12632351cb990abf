import { describe, expect, it } from '@jest/globals';
import { ValidationError } from '@tfo/domain';
import { DEMO_SIZES, MAX_HISTORY_HOURS, MAX_METRIC_INSTANCES, resolveDemoSize, sameSize } from './size.js';

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

  it('keeps metricInstances only above 1, so an explicit 1 is the preset', () => {
    expect(resolveDemoSize({ ...DEMO_SIZES.standard, metricInstances: 1 })).toEqual({
      label: 'standard',
      spec: DEMO_SIZES.standard,
    });
    const dense = resolveDemoSize({ ...DEMO_SIZES.standard, metricInstances: 6 });
    expect(dense).toEqual({ label: 'custom', spec: { ...DEMO_SIZES.standard, metricInstances: 6 } });
    expect(sameSize(dense.spec, DEMO_SIZES.standard)).toBe(false);
    expect(sameSize({ ...DEMO_SIZES.small, metricInstances: 1 }, DEMO_SIZES.small)).toBe(true);
    expect(JSON.stringify(resolveDemoSize('large').spec)).not.toContain('metricInstances');
  });

  it('rejects metricInstances that are not whole numbers from 1 to the maximum', () => {
    for (const metricInstances of [0, 2.5, MAX_METRIC_INSTANCES + 1, Number.NaN]) {
      expect(() => resolveDemoSize({ ...DEMO_SIZES.small, metricInstances })).toThrow(ValidationError);
    }
    expect(
      resolveDemoSize({ ...DEMO_SIZES.small, metricInstances: MAX_METRIC_INSTANCES }).spec.metricInstances,
    ).toBe(MAX_METRIC_INSTANCES);
  });
});
