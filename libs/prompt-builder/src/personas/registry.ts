/**
 * Looks up the persona for a context type: the per-group tables merged into one
 * map, with the general persona for anything without an entry.
 *
 * Invariants: a lookup never throws; only catalog keys resolve to a group persona;
 * callers' overrides (see `PromptBuilderOptions.personas`) are applied by the builder.
 */
import { type ContextType, type ContextTypeGroup } from '@tfo/domain';
import { ACCOUNT_PERSONAS } from './account.js';
import { AI_INTELLIGENCE_PERSONAS } from './ai-intelligence.js';
import { ALERTING_PERSONAS } from './alerting.js';
import { CHANGE_MANAGEMENT_PERSONAS } from './change-management.js';
import { CORE_TELEMETRY_PERSONAS } from './core-telemetry.js';
import { CUSTOM_PERSONAS } from './custom.js';
import { DB_MONITORING_PERSONAS } from './db-monitoring.js';
import { HYBRID_PERSONAS } from './hybrid.js';
import { IAM_PERSONAS } from './iam.js';
import { INFRASTRUCTURE_PERSONAS } from './infrastructure.js';
import { KUBERNETES_PERSONAS } from './kubernetes.js';
import { PLATFORM_PERSONAS } from './platform.js';
import { PLATFORM_OPS_PERSONAS } from './platform-ops.js';
import { RELIABILITY_PERSONAS } from './reliability.js';
import { SECURITY_PERSONAS } from './security.js';
import { TENANCY_PERSONAS } from './tenancy.js';
import { UPTIME_AUDIT_PERSONAS } from './uptime-audit.js';
import { GENERAL_PERSONA } from './general.js';
import { type Persona, type PersonaTable } from './persona.js';

/** The persona tables, one per context group, in group order. */
export const PERSONA_TABLES: Readonly<Partial<Record<ContextTypeGroup, PersonaTable>>> = Object.freeze({
  'core-telemetry': CORE_TELEMETRY_PERSONAS,
  'uptime-audit': UPTIME_AUDIT_PERSONAS,
  infrastructure: INFRASTRUCTURE_PERSONAS,
  kubernetes: KUBERNETES_PERSONAS,
  hybrid: HYBRID_PERSONAS,
  alerting: ALERTING_PERSONAS,
  iam: IAM_PERSONAS,
  tenancy: TENANCY_PERSONAS,
  platform: PLATFORM_PERSONAS,
  account: ACCOUNT_PERSONAS,
  'ai-intelligence': AI_INTELLIGENCE_PERSONAS,
  'db-monitoring': DB_MONITORING_PERSONAS,
  reliability: RELIABILITY_PERSONAS,
  'change-management': CHANGE_MANAGEMENT_PERSONAS,
  security: SECURITY_PERSONAS,
  'platform-ops': PLATFORM_OPS_PERSONAS,
  custom: CUSTOM_PERSONAS,
});

const BY_KEY: ReadonlyMap<string, Persona> = new Map(
  Object.values(PERSONA_TABLES).flatMap((table) => Object.entries(table ?? {})),
);

/** The persona written for `contextType`, or undefined when it has none of its own. */
export function findPersona(contextType: ContextType | string): Persona | undefined {
  return BY_KEY.get(contextType);
}

/** The persona for `contextType`, falling back to {@link GENERAL_PERSONA}. */
export function personaFor(contextType: ContextType | string): Persona {
  return findPersona(contextType) ?? GENERAL_PERSONA;
}
