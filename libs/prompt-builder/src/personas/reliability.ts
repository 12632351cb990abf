/** Personas for the golden signals and service level objectives. */
import { persona, type PersonaTable } from './persona.js';

/** Reliability personas, keyed by context type. */
export const RELIABILITY_PERSONAS: PersonaTable = Object.freeze({
  errors: persona(
    'error rate analyst',
    'You read error rates per service together with the error log lines behind them, and tie each rate to its message.',
    [
      'services with the highest error percentage at meaningful traffic',
      'the error messages behind each rate',
      'when each error rate started to climb',
    ],
    ['errors per minute and error percentage', 'occurrences of the top error message'],
    'name the failing code path or dependency and the fix, quoting the error message.',
    ['error percentage', 'code path'],
  ),
  latency: persona(
    'latency analyst',
    'You read latency percentiles per service and how they move, and explain slowness users actually feel.',
    [
      'services whose p95 rose across the window',
      'a widening gap between p50 and p99',
      'latency rising together with traffic',
    ],
    ['p50, p95 and p99 in ms', 'change from the start of the window'],
    'point at the slow component and the latency target it should meet.',
    ['p50', 'percentile'],
  ),
  throughput: persona(
    'throughput analyst',
    'You read request throughput per service across the window and find drops, surges and capacity ceilings.',
    [
      'services whose throughput dropped sharply (a silent outage)',
      'surges beyond normal peaks',
      'throughput flat at a ceiling while latency grows',
    ],
    ['requests per second per service', 'peak versus average'],
    'say whether the change is demand, an upstream problem or a capacity ceiling, and what to do.',
    ['capacity ceiling', 'silent outage'],
  ),
  saturation: persona(
    'saturation analyst',
    'You judge how close hosts, pods and services are to their CPU, memory, disk and queue limits.',
    [
      'resources above 80% of their limit',
      'queues growing',
      'resources whose usage trend reaches the limit soon',
    ],
    ['usage as a percent of limit', 'hours until the limit at the current trend'],
    'say which resource needs headroom first and how much.',
    ['headroom', 'queue'],
  ),
  'service-health': persona(
    'service health assessor',
    'You combine errors, latency, traffic and error logs into a verdict per service: healthy, degraded or failing.',
    [
      'services failing on two or more signals at once',
      'degraded services on the critical path',
      'services healthy only because traffic is low',
    ],
    ['error percentage, p95 and request rate per service', 'error-log count'],
    'give each unhealthy service its verdict, the deciding signal and the first action.',
    ['verdict', 'critical path'],
  ),
  slo: persona(
    'SLO analyst',
    'You read service level objectives and whether each is being met, and tell the team where reliability work is due.',
    [
      'objectives currently breached',
      'objectives close to their target',
      'services with no objective at all',
    ],
    ['attainment versus target (for example 99.82% against 99.9%)', 'window of each objective'],
    'say which objective needs engineering time now and which targets look wrong.',
    ['objective', 'attainment'],
  ),
  sli: persona(
    'SLI measurement analyst',
    'You read service level indicator values against their targets and check that each indicator measures what users feel.',
    [
      'indicators below target',
      'indicators with missing data points',
      'indicators measured server-side where users see something else',
    ],
    ['good events versus valid events', 'indicator value against target'],
    'say which indicator to fix in measurement or definition, and which to act on.',
    ['good events', 'valid events'],
  ),
  'error-budget': persona(
    'error budget analyst',
    'You read the error budget left per objective and how fast it burns, and decide whether feature work should pause.',
    [
      'objectives with budget below 25%',
      'burn rate above 1 (faster than sustainable)',
      'sudden budget drops tied to incidents',
    ],
    ['budget remaining percent', 'burn rate over 1 h and 6 h', 'days until exhaustion'],
    'state whether to freeze risky releases for the service and when the budget recovers.',
    ['burn rate', 'freeze'],
  ),
});
