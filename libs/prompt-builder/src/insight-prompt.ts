/**
 * The insight prompt: asks for one of the five insight types over a collected
 * context, in a fixed four-part answer, followed by the fenced context itself.
 *
 * Invariants:
 * - Every insight type asks for the same four parts, in this order: Summary,
 *   Evidence, Analysis and Next steps ({@link INSIGHT_PARTS}); what each part must
 *   hold is specific to the insight type. A fixed shape lets callers split answers.
 * - A `[SYSTEM]` context is not analysed: the prompt asks to report the
 *   data-source problem in the same four parts instead.
 */
import { isSystemContext, type InsightType, type TelemetryContext } from '@tfo/domain';
import { type ContextRendering } from './context-prompt.js';

/** The four parts of every insight answer, in order. */
export const INSIGHT_PARTS = ['Summary', 'Evidence', 'Analysis', 'Next steps'] as const;

/** One of {@link INSIGHT_PARTS}. */
export type InsightPart = (typeof INSIGHT_PARTS)[number];

/** What an insight type asks for, part by part. */
export interface InsightSpec {
  /** The task, one sentence. */
  readonly task: string;
  /** What goes in each of the four parts. */
  readonly parts: Readonly<Record<InsightPart, string>>;
}

const EVIDENCE =
  'the figures from the data that support it: values, counts, percentages and timestamps, each with the ' +
  'service, host or resource it belongs to.';

/** The five insight types, each with its task and part-by-part content. */
export const INSIGHT_SPECS: Readonly<Record<InsightType, InsightSpec>> = Object.freeze({
  chronology: {
    task: 'Reconstruct what happened, in time order, over the period of the context.',
    parts: {
      Summary: 'two or three sentences: what happened, when it started and whether it is still going on.',
      Evidence: `${EVIDENCE} Quote exact timestamps.`,
      Analysis:
        'a timeline, oldest first: one line per event with its timestamp, marking the first abnormal point, ' +
        'the peak and any recovery; note gaps where the data is silent.',
      'Next steps': 'what to look at around the first abnormal point to explain the sequence.',
    },
  },
  prediction: {
    task: 'Forecast where the signals in the context are heading if nothing changes.',
    parts: {
      Summary: 'two or three sentences: the main forecast and its horizon.',
      Evidence: `${EVIDENCE} Include the trend each forecast rests on (rate of change per hour or day).`,
      Analysis:
        'a forecast per signal that matters: the expected value at a stated horizon, when a limit or ' +
        'threshold would be crossed, your confidence (low, medium, high) and the assumptions behind it.',
      'Next steps':
        'what to do before the predicted point, and which figure would show the forecast is wrong.',
    },
  },
  recommendation: {
    task: 'Recommend the actions that would most improve what the context shows.',
    parts: {
      Summary: 'two or three sentences: the most valuable action and why.',
      Evidence: `${EVIDENCE} Show the problem each recommendation addresses.`,
      Analysis:
        'recommendations ranked by impact: for each, the exact target (service, host, rule, query), the change, ' +
        'the expected effect on a named metric, the effort and the risk.',
      'Next steps': 'how to verify each recommendation worked: the metric to watch and the value to expect.',
    },
  },
  'root-cause': {
    task: 'Find the most likely root cause of the problems the context shows.',
    parts: {
      Summary: 'two or three sentences: the most likely root cause and the symptom it explains.',
      Evidence: `${EVIDENCE} Prefer evidence that separates cause from symptom (which moved first).`,
      Analysis:
        'the causal chain from the root cause to the observed symptoms, the alternative causes you considered ' +
        'and why they fit the data less well, and your confidence.',
      'Next steps': 'the check that would confirm the cause, then the fix and how to prevent a recurrence.',
    },
  },
  pattern: {
    task: 'Identify recurring, periodic or correlated behaviour in the context.',
    parts: {
      Summary: 'two or three sentences: the strongest pattern and why it matters.',
      Evidence: `${EVIDENCE} Give how often each pattern occurs.`,
      Analysis:
        'each pattern: its shape (periodic, bursty, growing, co-occurring), the services or resources that share ' +
        'it, how often it recurs, and whether it looks harmful or expected.',
      'Next steps': 'how to confirm each pattern over a longer period, and what to change if it is harmful.',
    },
  },
});

/** Composes the insight prompt from a spec and an already rendered context. */
export function composeInsightPrompt(
  insightType: InsightType,
  context: TelemetryContext,
  rendered: ContextRendering,
  typeLabel: string,
): string {
  const spec = INSIGHT_SPECS[insightType];
  const lines: string[] = [
    `Produce a ${insightType} insight for the ${typeLabel} context below.`,
    `Task: ${spec.task}`,
    '',
    'Answer in exactly four parts, with these headings, in this order:',
  ];
  INSIGHT_PARTS.forEach((part, i) => {
    lines.push(`### ${i + 1}. ${part}`, spec.parts[part]);
  });
  if (isSystemContext(context)) {
    lines.push(
      '',
      'The context below is a [SYSTEM] notice, so there is no telemetry to analyse: state the data-source problem ' +
        'and the period under Summary, write "No telemetry available" under Evidence and Analysis, and under ' +
        'Next steps say how to restore the data.',
    );
  }
  lines.push('', rendered.text);
  return lines.join('\n');
}
