/**
 * AI-intelligence specs: anomaly_events, predictions, remediation_plans and daily cost,
 * and the seed digests built from them (ai-insights, ai-recommendations, ai-root-cause,
 * ai-patterns, anomalies, ai-anomalies, ai-predictions, platform-cost).
 */
import type { ContextType } from '@tfo/domain';
import { countBy, fmt, list, num, str, tally } from '../format.js';
import {
  anomalies,
  anomaliesText,
  anomalyLine,
  changeEvents,
  changeLine,
  costText,
  dailyCost,
  planLine,
  predictionLine,
  predictions,
  remediationPlans,
} from '../queries/intelligence.js';
import {
  correlations,
  describeErrorLine,
  describeErrors,
  errorLogs,
  errorRates,
  errorSpikes,
  latency,
  serviceStats,
} from '../queries/telemetry.js';
import type { ContextSpec } from '../spec.js';
import { sentences, viewSpec } from './common.js';
import { alertInstances, alertsText } from './alerting.js';

function anomalySpec(key: ContextType): ContextSpec {
  return viewSpec(key, { anomalies }, (rows) => {
    const items = rows.get('anomalies');
    return {
      summary: sentences(`By severity: ${tally(countBy(items, 'severity'))}.`, anomaliesText(items)),
      data: { anomalies: items },
    };
  });
}

function predictionSpec(key: ContextType): ContextSpec {
  return viewSpec(key, { predictions }, (rows) => {
    const items = rows.get('predictions');
    const risky = items.filter((p) => num(p['failure_probability']) >= 0.5);
    return {
      summary: sentences(
        `${items.length} resource forecasts.`,
        risky.length > 0
          ? `At risk: ${list(risky.map(predictionLine), 3)}.`
          : `Highest risk: ${list(items.slice(0, 2).map(predictionLine), 2)}.`,
      ),
      data: { predictions: items },
    };
  });
}

function costSpec(key: ContextType): ContextSpec {
  return viewSpec(key, { cost: dailyCost }, (rows) => {
    const items = rows.get('cost');
    const byProvider: Record<string, number> = {};
    for (const r of items)
      byProvider[str(r['provider'])] = (byProvider[str(r['provider'])] ?? 0) + num(r['cost_usd']);
    return {
      summary: sentences(
        costText(items),
        `By provider: ${Object.entries(byProvider)
          .map(([p, v]) => `${p} ${fmt(v, 2)} USD`)
          .join(', ')}.`,
      ),
      data: { cost: items, byProvider },
    };
  });
}

/** The AI-intelligence specs. */
export const aiSpecs: readonly ContextSpec[] = [
  anomalySpec('anomaly-detection'),
  anomalySpec('anomalies'),
  anomalySpec('ai-anomalies'),
  predictionSpec('predictive-maintenance'),
  predictionSpec('ai-predictions'),
  costSpec('cost-optimization'),
  costSpec('platform-cost'),
  viewSpec(
    'corrective-maintenance',
    { plans: remediationPlans, anomalies },
    (rows) => {
      const plans = rows.get('plans');
      const open = plans.filter((p) => p['executed_at'] === null);
      return {
        summary: sentences(
          `${plans.length} remediation plans (${tally(countBy(plans, 'status'))}).`,
          open.length > 0
            ? `Not yet executed: ${list(
                open.map((p) => `${planLine(p)} for ${str(p['service_name'])}`),
                3,
              )}.`
            : '',
          anomaliesText(rows.get('anomalies')),
        ),
        data: { plans, anomalies: rows.get('anomalies') },
      };
    },
    { required: ['plans'] },
  ),
  viewSpec('ai-insights', { anomalies, predictions, plans: remediationPlans }, (rows) => ({
    summary: sentences(
      anomaliesText(rows.get('anomalies')),
      rows.get('predictions').length > 0
        ? `Forecasts: ${list(rows.get('predictions').map(predictionLine), 2)}.`
        : '',
      rows.get('plans').length > 0 ? `Remediation: ${list(rows.get('plans').map(planLine), 3)}.` : '',
    ),
    data: {
      anomalies: rows.get('anomalies'),
      predictions: rows.get('predictions'),
      plans: rows.get('plans'),
    },
  })),
  viewSpec('ai-recommendations', { plans: remediationPlans, anomalies, cost: dailyCost }, (rows) => ({
    summary: sentences(
      rows.get('plans').length > 0
        ? `Recommended actions: ${list(
            rows.get('plans').map((p) => `${planLine(p)} for ${str(p['service_name'])}`),
            3,
          )}.`
        : 'No remediation plan is recorded.',
      rows.get('anomalies').length > 0
        ? `Driven by: ${list(rows.get('anomalies').map(anomalyLine), 2)}.`
        : '',
      rows.get('cost').length > 0 ? `Cost: ${costText(rows.get('cost'))}` : '',
    ),
    data: { plans: rows.get('plans'), anomalies: rows.get('anomalies'), cost: rows.get('cost') },
  })),
  viewSpec(
    'ai-root-cause',
    {
      anomalies,
      correlations: correlations(),
      latency: latency(),
      errorRates: errorRates(),
      changes: changeEvents,
    },
    (rows) => {
      const stats = serviceStats(rows.get('latency'), rows.get('errorRates'));
      const timeline = [...rows.get('anomalies')].sort((a, b) =>
        str(a['timestamp']).localeCompare(str(b['timestamp'])),
      );
      return {
        summary: sentences(
          timeline.length > 0
            ? `Earliest anomalies first: ${list(timeline.map(anomalyLine), 4)}.`
            : 'No anomalies in the window.',
          errorSpikes(stats).length > 0
            ? `Error spikes: ${list(errorSpikes(stats).map(describeErrors), 3)}.`
            : '',
          rows.get('changes').length > 0
            ? `Recent changes: ${list(rows.get('changes').map(changeLine), 3)}.`
            : 'No change recorded in this or the previous window.',
          rows.get('correlations').length > 0
            ? `Correlated signals: ${list(
                rows
                  .get('correlations')
                  .map(
                    (c) =>
                      `${str(c['service_name'])} ${str(c['source_signal'])} -> ${str(c['target_signal'])} x${fmt(num(c['count']), 0)}`,
                  ),
                3,
              )}.`
            : '',
        ),
        data: {
          anomalies: timeline,
          services: stats,
          changes: rows.get('changes'),
          correlations: rows.get('correlations'),
        },
      };
    },
    { required: ['anomalies', 'errorRates', 'changes'] },
  ),
  viewSpec('ai-patterns', { anomalies, errorLogs: errorLogs(), alerts: alertInstances }, (rows) => {
    const byMetric = countBy(rows.get('anomalies'), 'metric_name');
    const repeated = Object.entries(byMetric)
      .filter(([, n]) => n > 1)
      .map(([m, n]) => `${m} x${n}`);
    return {
      summary: sentences(
        repeated.length > 0
          ? `Recurring anomalies: ${repeated.join(', ')}.`
          : anomaliesText(rows.get('anomalies')),
        rows.get('errorLogs').length > 0
          ? `Recurring errors: ${list(rows.get('errorLogs').map(describeErrorLine), 3)}.`
          : '',
        rows.get('alerts').length > 0 ? alertsText(rows.get('alerts')) : '',
      ),
      data: {
        anomaliesByMetric: byMetric,
        anomalies: rows.get('anomalies'),
        errorLogs: rows.get('errorLogs'),
        alerts: rows.get('alerts'),
      },
    };
  }),
];
