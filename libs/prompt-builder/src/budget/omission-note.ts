/**
 * The omission note: product text, written next to the data block, that tells the
 * model exactly what was left out of the telemetry to fit the budget, so it can
 * qualify its conclusions ("among the rows shown") or ask for a narrower query.
 *
 * Invariants:
 * - Never empty when something was left out; starts with {@link OMISSION_NOTE_LEAD}.
 * - At most `maxChars` characters: lines are added most important first (rows,
 *   then dropped fields, keys, nesting, cut strings) and the rest is counted.
 * - Every telemetry-derived word in it (group values such as service names) is
 *   quoted with {@link quoteUntrusted}, so it reads as a value, never as text.
 */
import { quoteUntrusted } from '../fence.js';
import { type Omission, type OmissionKind } from './fit-json.js';

/** The first words of every omission note. */
export const OMISSION_NOTE_LEAD = 'Shortened to fit the prompt budget';

const KIND_ORDER: Record<OmissionKind, number> = {
  everything: 0,
  rows: 1,
  fields: 2,
  keys: 3,
  nested: 4,
  strings: 5,
};

/** Formats a count with thousands separators, independent of the host's locale. */
function n(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function plural(count: number, one: string, many: string): string {
  return `${n(count)} ${count === 1 ? one : many}`;
}

/** One line for one omission. */
export function describeOmission(omission: Omission): string {
  const at = quoteUntrusted(omission.path, 80);
  switch (omission.kind) {
    case 'everything':
      return `- ${at}: nothing could be shown within the budget (${plural(omission.count, 'entry', 'entries')} left out).`;
    case 'rows': {
      const total = omission.total !== undefined ? ` of ${n(omission.total)}` : '';
      const head = `- ${at}: ... ${plural(omission.count, 'more row', 'more rows')} not shown (${n(
        (omission.total ?? omission.count) - omission.count,
      )}${total} kept, those with errors or the highest values first)`;
      const b = omission.breakdown;
      if (!b) return `${head}.`;
      const groups = b.groups.map(([value, count]) => `${quoteUntrusted(value, 40)} ${n(count)}`);
      if (b.other > 0) groups.push(`${n(b.other)} other`);
      return `${head}, by ${quoteUntrusted(b.field, 40)}: ${groups.join(', ')}.`;
    }
    case 'fields': {
      const names = (omission.fields ?? []).slice(0, 6).map((f) => quoteUntrusted(f, 30));
      return `- ${at}: verbose fields ${names.join(', ')} dropped from ${plural(omission.count, 'object', 'objects')}.`;
    }
    case 'keys':
      return `- ${at}: ${plural(omission.count, 'less important field', 'less important fields')} left out.`;
    case 'nested':
      return `- ${at}: nested content replaced by its size in ${plural(omission.count, 'place', 'places')}.`;
    case 'strings':
      return `- ${at}: ${plural(omission.count, 'long text was', 'long texts were')} cut (each cut is marked "…[+N chars]").`;
  }
}

/**
 * The note for a set of omissions, or the empty string when there are none.
 * `budgetTokens` is named in the lead line; `maxChars` bounds the whole note.
 */
export function renderOmissionNote(
  omissions: readonly Omission[],
  budgetTokens: number,
  maxChars: number,
): string {
  if (omissions.length === 0) return '';
  const lead = `${OMISSION_NOTE_LEAD} of about ${n(budgetTokens)} tokens; the JSON above is valid but incomplete:`;
  const sorted = [...omissions].sort(
    (a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || b.count - a.count || (a.path < b.path ? -1 : 1),
  );
  const lines = [lead];
  let length = lead.length;
  let shown = 0;
  for (const [index, omission] of sorted.entries()) {
    const line = describeOmission(omission);
    // Keep room for the closing "and N more" line unless this is the last line.
    const room = index === sorted.length - 1 ? maxChars : maxChars - 60;
    if (length + 1 + line.length > room) break;
    lines.push(line);
    length += 1 + line.length;
    shown += 1;
  }
  if (shown < sorted.length) {
    lines.push(
      `- and ${plural(sorted.length - shown, 'more omission', 'more omissions')} of the same kinds.`,
    );
  }
  return lines.join('\n');
}
