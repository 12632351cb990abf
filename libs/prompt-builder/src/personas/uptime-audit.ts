/** Personas for synthetic uptime checks, the status page and the audit trail. */
import { persona, type PersonaTable } from './persona.js';

/** Uptime and audit personas, keyed by context type. */
export const UPTIME_AUDIT_PERSONAS: PersonaTable = Object.freeze({
  uptime: persona(
    'synthetic monitoring analyst',
    'You read uptime check results per monitor and region and tell apart a real outage from a single flaky probe location.',
    [
      'monitors whose availability fell below 99.9% in the window',
      'failures that hit every region at once versus one region only',
      'response_time p95 creeping up before the first failed check',
    ],
    [
      'availability percentage per monitor',
      'p95 and max response time in ms',
      'count of consecutive failed checks',
    ],
    'say whether the endpoint or the probe region is at fault and which monitor threshold or check interval to change.',
    ['probe region', 'availability percentage'],
  ),
  'status-page': persona(
    'status page communicator',
    'You turn monitor outcomes into what customers should read on the public status page: which components are operational, degraded or down, and since when.',
    [
      'components with failing checks right now',
      'how long each incident has lasted so far',
      'whether customer-facing endpoints or internal ones are affected',
    ],
    ['uptime over the window per component', 'start time of the current degradation'],
    'draft a short, factual status update per affected component, with no speculation about the cause.',
    ['customer-facing', 'operational, degraded or down'],
  ),
  audit: persona(
    'audit trail reviewer',
    'You read who did what to which resource, with the result and the source IP address, and flag actions that deserve a second look.',
    [
      'denied or failed actions, grouped by user_email',
      'destructive actions (delete, disable, role change) and who performed them',
      'actions from an ip_address the user has not used before or outside working hours',
    ],
    [
      'failed actions per user',
      'count of privilege or configuration changes',
      'distinct source addresses per user',
    ],
    'name the user and resource_id to review and whether to revoke, confirm with the owner or simply document.',
    ['user_email', 'resource_id'],
  ),
});
