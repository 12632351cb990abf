/**
 * Argument schemas shared by the telemetry tools, each with the message a model sees when
 * it breaks the rule. Service and metric names are free text (they are bound, never
 * spliced), bounded in length; windows are checked again by `resolveWindow`.
 */
import { z } from 'zod';
import { SENSITIVITY_Z } from './anomaly.js';
import { aliasList } from './metric-names.js';

/** `service`: a service name as list_services shows it. */
export function serviceArgument() {
  return z
    .string({ error: 'service must be a string: a service name as list_services shows it' })
    .trim()
    .min(1, { error: 'service must not be empty: list_services lists the services' })
    .max(256, { error: 'service must be at most 256 characters' })
    .describe('Service name as list_services shows it, e.g. "payment-processor"');
}

/** `metric`: a stored metric name or a short alias. */
export function metricArgument() {
  return z
    .string({ error: 'metric must be a string, e.g. "cpu" or "cpu.usage"' })
    .trim()
    .min(1, { error: 'metric must not be empty, e.g. "cpu" or "cpu.usage"' })
    .max(256, { error: 'metric must be at most 256 characters' })
    .describe(
      `Metric name as stored (get_current_metrics lists a service's metrics) or an alias: ${aliasList()}`,
    );
}

/** `window`: a window length such as "6h" or "7d". */
export function windowArgument(defaultWindow: string) {
  return z
    .string({ error: 'window must be text such as "15m", "6h", "24h" or "7d"' })
    .trim()
    .max(16, { error: 'window must be short text such as "6h" or "7d"' })
    .optional()
    .describe(
      `Time window ending now: a number and a unit (m, h, d, w), e.g. "30m", "6h", "7d"; 1m to 365d; default "${defaultWindow}". ` +
        'Give window or hours, not both.',
    );
}

/** `hours`: the window in hours (the alternative to `window`). */
export const hoursWindowArgument = z
  .number({ error: 'hours must be a number of hours from 1 to 8760' })
  .positive({ error: 'hours must be greater than 0' })
  .max(8_760, { error: 'hours must be at most 8760 (one year)' })
  .optional()
  .describe('Time window in hours ending now (alternative to window), e.g. 24');

/** `sensitivity`: low / medium / high, or a z threshold in sigmas. */
export const sensitivityArgument = z
  .union([
    z.enum(['low', 'medium', 'high']),
    z.number().min(1, { error: 'a numeric sensitivity is a z threshold from 1 to 10 sigmas' }).max(10, {
      error: 'a numeric sensitivity is a z threshold from 1 to 10 sigmas',
    }),
  ])
  .default('medium')
  .describe(
    `How unusual a point must be: low (${SENSITIVITY_Z.low} sigmas), medium (${SENSITIVITY_Z.medium}, default), ` +
      `high (${SENSITIVITY_Z.high}), or a number of sigmas from 1 to 10`,
  );
