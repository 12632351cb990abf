/**
 * Alerting specs: PostgreSQL alert_rules and alert_instances. `alerts` lists what fired
 * in the window (firing first), `alert-rules` the rule set with its state, `alert` the
 * state changes and firing history of the window.
 */
import { countBy, list, str, tally, when, type Row } from '../format.js';
import { countText, pgList } from '../queries/inventory.js';
import type { ContextSpec, SourceBuilder } from '../spec.js';
import { pg } from '../sql.js';
import { sentences, viewSpec } from './common.js';

/** Alert instances active at any point of the window, firing first. */
export const alertInstances: SourceBuilder = (input) =>
  pg(input, (b) => {
    const from = b.bind(input.range.from.toISOString());
    const to = b.bind(input.range.to.toISOString());
    const narrow =
      input.contextId === undefined
        ? ''
        : ` AND (title ILIKE '%' || ${b.bind(input.contextId)} || '%' OR labels::text ILIKE '%' || $${b.params.length} || '%')`;
    return `
      SELECT title, severity, status, starts_at, ends_at, labels
      FROM alert_instances
      WHERE ${b.scope()} AND starts_at <= ${to}::timestamptz AND (ends_at IS NULL OR ends_at >= ${from}::timestamptz)${narrow}
      ORDER BY CASE status WHEN 'firing' THEN 0 ELSE 1 END,
               CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'warning' THEN 2 ELSE 3 END, starts_at DESC
      LIMIT ${b.limit(5)}`;
  });

/** Alert rules, firing and most recently triggered first. */
export const alertRules: SourceBuilder = pgList({
  from: 'alert_rules',
  columns: 'name, severity, state, enabled, service_name, last_triggered_at',
  orderBy:
    "CASE state WHEN 'firing' THEN 0 WHEN 'pending' THEN 1 ELSE 2 END, last_triggered_at DESC NULLS LAST",
  where: (b) =>
    b.input.contextId === undefined
      ? undefined
      : `service_name = ${b.bind(b.input.contextId)} OR name = $${b.params.length}`,
  limitFactor: 5,
});

/** One alert as text: `critical "High CPU on payment-processor" firing since 13:38 UTC`. */
export function alertLine(r: Row): string {
  const since =
    str(r['status']) === 'firing'
      ? `firing since ${when(r['starts_at'])}`
      : `${str(r['status'])} (${when(r['starts_at'])} to ${when(r['ends_at'])})`;
  return `${str(r['severity'])} "${str(r['title'])}" ${since}`;
}

/** Summary sentence of alert instances. */
export function alertsText(rows: readonly Row[]): string {
  const firing = rows.filter((r) => str(r['status']) === 'firing');
  return sentences(
    `${rows.length} alerts active in the window (${tally(countBy(rows, 'status'))}).`,
    firing.length > 0 ? `Firing: ${list(firing.map(alertLine), 5)}.` : 'Nothing is firing.',
  );
}

/** The alerting specs. */
export const alertingSpecs: readonly ContextSpec[] = [
  viewSpec('alerts', { alerts: alertInstances }, (rows) => ({
    summary: alertsText(rows.get('alerts')),
    data: { alerts: rows.get('alerts') },
  })),
  viewSpec('alert-rules', { rules: alertRules }, (rows) => {
    const rules = rows.get('rules');
    const firing = rules
      .filter((r) => str(r['state']) === 'firing')
      .map(
        (r) => `${str(r['severity'])} "${str(r['name'])}" (last triggered ${when(r['last_triggered_at'])})`,
      );
    const disabled = rules.filter((r) => r['enabled'] === false).length;
    return {
      summary: sentences(
        `${countText(rules, 'alert rules', 'state')}, ${disabled} disabled.`,
        firing.length > 0 ? `Firing rules: ${list(firing, 5)}.` : 'No rule is firing.',
      ),
      data: { rules },
    };
  }),
  viewSpec(
    'alert',
    { alerts: alertInstances, rules: alertRules },
    (rows) => {
      const alerts = rows.get('alerts');
      const timeline = [...alerts]
        .sort((a, b) => str(a['starts_at']).localeCompare(str(b['starts_at'])))
        .map((a) => `${when(a['starts_at'])} ${str(a['severity'])} "${str(a['title'])}" ${str(a['status'])}`);
      return {
        summary: sentences(alertsText(alerts), timeline.length > 0 ? `Timeline: ${list(timeline, 6)}.` : ''),
        data: { alerts, rules: rows.get('rules') },
      };
    },
    { required: ['alerts'] },
  ),
];
