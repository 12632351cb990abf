/**
 * The spec registry: one declarative spec per context type, gathered from the group
 * files under specs/. Looking a key up never falls through a switch; a key without a
 * spec (none today, see the unit spec) is answered by the collector with an honest
 * unavailable context, never with invented data.
 */
import { CONTEXT_TYPES, type ContextType } from '@tfo/domain';
import type { ContextSpec } from './spec.js';
import { accountSpecs } from './specs/account.js';
import { aiSpecs } from './specs/ai-intelligence.js';
import { alertingSpecs } from './specs/alerting.js';
import { coreTelemetrySpecs } from './specs/core-telemetry.js';
import { dbMonitoringSpecs } from './specs/db-monitoring.js';
import { hybridSpecs } from './specs/hybrid.js';
import { iamTenancySpecs } from './specs/iam-tenancy.js';
import { infrastructureSpecs } from './specs/infrastructure.js';
import { kubernetesSpecs } from './specs/kubernetes.js';
import { platformSpecs } from './specs/platform.js';
import { reliabilitySpecs } from './specs/reliability.js';
import { securityOpsSpecs } from './specs/security-ops.js';
import { uptimeAuditSpecs } from './specs/uptime-audit.js';

/** Every spec, in group order. */
export const ALL_SPECS: readonly ContextSpec[] = Object.freeze([
  ...coreTelemetrySpecs,
  ...uptimeAuditSpecs,
  ...infrastructureSpecs,
  ...kubernetesSpecs,
  ...hybridSpecs,
  ...alertingSpecs,
  ...iamTenancySpecs,
  ...platformSpecs,
  ...accountSpecs,
  ...aiSpecs,
  ...dbMonitoringSpecs,
  ...reliabilitySpecs,
  ...securityOpsSpecs,
]);

const BY_KEY: ReadonlyMap<string, ContextSpec> = new Map(ALL_SPECS.map((s) => [s.key, s]));

/** The spec of a context type, or undefined when the key has none (or is unknown). */
export function specFor(key: string): ContextSpec | undefined {
  return BY_KEY.get(key);
}

/** Context types that have a dedicated spec, in catalog order. */
export function specifiedContextTypes(): ContextType[] {
  return CONTEXT_TYPES.filter((k) => BY_KEY.has(k));
}
