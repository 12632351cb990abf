import { describe, expect, it } from '@jest/globals';
import { ValidationError } from '../errors/index.js';
import { INSIGHT_TYPES, isInsightType, parseInsightType } from './insight-type.js';

describe('INSIGHT_TYPES', () => {
  it('are the platform five, in order', () => {
    expect(INSIGHT_TYPES).toEqual(['chronology', 'prediction', 'recommendation', 'root-cause', 'pattern']);
  });
});

describe('isInsightType', () => {
  it('accepts exact keys only', () => {
    expect(isInsightType('pattern')).toBe(true);
    expect(isInsightType('Pattern')).toBe(false);
    expect(isInsightType('root_cause')).toBe(false);
    expect(isInsightType(1)).toBe(false);
  });
});

describe('parseInsightType', () => {
  it('parses every insight type and forgives case, blanks and underscores', () => {
    for (const type of INSIGHT_TYPES) expect(parseInsightType(type)).toBe(type);
    expect(parseInsightType(' Root_Cause ')).toBe('root-cause');
  });

  it('rejects unknown values with a ValidationError that lists the five', () => {
    expect(() => parseInsightType('summary')).toThrow(ValidationError);
    expect(() => parseInsightType('summary')).toThrow(
      'Valid insight types: chronology, prediction, recommendation, root-cause, pattern.',
    );
    expect(() => parseInsightType('summary')).toThrow('Unknown insight type "summary".');
    expect(() => parseInsightType(undefined)).toThrow('An insight type must be a string');
  });

  it('suggests a near miss', () => {
    expect(() => parseInsightType('predictions')).toThrow('Did you mean "prediction"?');
    expect(() => parseInsightType('rootcause')).toThrow('Did you mean "root-cause"?');
  });
});
