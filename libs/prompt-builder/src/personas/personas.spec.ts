import { describe, expect, it } from '@jest/globals';
import { CONTEXT_TYPES, CONTEXT_TYPE_GROUPS, contextTypesByGroup } from '@tfo/domain';
import { GENERAL_PERSONA } from './general.js';
import { renderPersona, type Persona } from './persona.js';
import { PERSONA_TABLES, findPersona, personaFor } from './registry.js';

const tables = Object.entries(PERSONA_TABLES) as [string, Record<string, Persona>][];
const all: [string, Persona][] = tables.flatMap(([, table]) => Object.entries(table));
const withGeneral: [string, Persona][] = [...all, ['(general)', GENERAL_PERSONA]];

describe('persona tables', () => {
  it('has one table per group, each covering exactly the keys of its group', () => {
    const byGroup = contextTypesByGroup();
    for (const [group, table] of tables) {
      expect(CONTEXT_TYPE_GROUPS).toContain(group);
      expect(Object.keys(table).sort()).toEqual([...byGroup[group as keyof typeof byGroup]].sort());
    }
  });

  it('gives every one of the 138 catalog keys a persona of its own', () => {
    const missing = CONTEXT_TYPES.filter((key) => findPersona(key) === undefined);
    expect(missing).toEqual([]);
    expect(all).toHaveLength(138);
  });

  it('writes 138 distinct personas: no two share a text, a role, a focus or a first check', () => {
    for (const field of ['role', 'focus', 'recommend'] as const) {
      const values = withGeneral.map(([, p]) => p[field]);
      expect(new Set(values).size).toBe(values.length);
    }
    const firstChecks = withGeneral.map(([, p]) => p.checkFirst[0]);
    expect(new Set(firstChecks).size).toBe(firstChecks.length);
    const texts = withGeneral.map(([, p]) => renderPersona(p));
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('is not templated: each persona uses its declared domain terms and owns at least one of them', () => {
    const owners = new Map<string, number>();
    for (const [, p] of withGeneral) {
      for (const term of new Set(p.terms.map((t) => t.toLowerCase())))
        owners.set(term, (owners.get(term) ?? 0) + 1);
    }
    const problems: string[] = [];
    for (const [key, p] of withGeneral) {
      const text = renderPersona(p).toLowerCase();
      const absent = p.terms.filter((term) => !text.includes(term.toLowerCase()));
      if (absent.length > 0) problems.push(`${key}: terms not in its text: ${absent.join(', ')}`);
      if (!p.terms.some((term) => owners.get(term.toLowerCase()) === 1)) {
        problems.push(`${key}: no term of its own (${p.terms.join(', ')})`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('has substance in every part', () => {
    for (const [, p] of withGeneral) {
      expect(p.checkFirst.length).toBeGreaterThanOrEqual(2);
      expect(p.keyNumbers.length).toBeGreaterThanOrEqual(2);
      expect(p.focus.length).toBeGreaterThan(60);
      expect(p.recommend.length).toBeGreaterThan(40);
      expect(p.terms.length).toBeGreaterThan(0);
    }
  });

  it('falls back to the general persona for keys it does not know', () => {
    expect(personaFor('no-such-type')).toBe(GENERAL_PERSONA);
    expect(findPersona('no-such-type')).toBeUndefined();
  });
});
