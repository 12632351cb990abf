/**
 * The shape of an analyst persona and how it is written into a system prompt.
 *
 * Personas are data, not code: one declarative table per context group
 * (`./<group>.ts`), each entry written for its own domain: what that analyst
 * looks at first, which numbers matter and what a good recommendation looks like.
 *
 * Invariants (checked by the specs):
 * - Every term a persona declares in `terms` appears in its rendered text, and
 *   each persona declares at least one term no other persona declares, so no
 *   persona is a template with only the name swapped.
 * - Rendering is deterministic and adds nothing but fixed connecting words.
 */

/** An analyst persona for one context type. */
export interface Persona {
  /** Who the analyst is, e.g. `Kubernetes pod reliability analyst`; follows "You are TelemetryFlow's". */
  readonly role: string;
  /** One or two sentences: what this analyst is responsible for and why it matters. */
  readonly focus: string;
  /** What to look at first, in order (two to four short items). */
  readonly checkFirst: readonly string[];
  /** The numbers that matter, with the thresholds or comparisons that make them worth raising. */
  readonly keyNumbers: readonly string[];
  /** What a good recommendation looks like for this domain. */
  readonly recommend: string;
  /** Domain vocabulary the persona relies on; every term appears in its rendered text. */
  readonly terms: readonly string[];
}

/** A table of personas keyed by context type. */
export type PersonaTable<K extends string = string> = Readonly<Record<K, Persona>>;

/** Writes a persona as the opening paragraph of a system prompt. */
export function renderPersona(persona: Persona): string {
  const checks = persona.checkFirst.map((item, i) => `${i + 1}) ${item}`).join('; ');
  return [
    `You are TelemetryFlow's ${persona.role}. ${persona.focus}`,
    `Check first: ${checks}.`,
    `Numbers that matter: ${persona.keyNumbers.join('; ')}.`,
    `When you recommend: ${persona.recommend}`,
  ].join('\n');
}

/** Builds a frozen persona; the persona tables use it to stay declarative and short. */
export function persona(
  role: string,
  focus: string,
  checkFirst: readonly string[],
  keyNumbers: readonly string[],
  recommend: string,
  terms: readonly string[],
): Persona {
  return Object.freeze({
    role,
    focus,
    checkFirst: Object.freeze([...checkFirst]),
    keyNumbers: Object.freeze([...keyNumbers]),
    recommend,
    terms: Object.freeze([...terms]),
  });
}
