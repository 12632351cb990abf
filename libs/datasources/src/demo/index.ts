/**
 * The demo estate: a deterministic, multi-tenant TelemetryFlow estate (services with
 * traffic, latency, errors and logs; hosts, Kubernetes, service and network maps, alerts,
 * SLOs, uptime, audit, database monitoring, security, anomalies, predictions, cost, and
 * three incidents with a clear cause in the data) written into PostgreSQL and ClickHouse,
 * then topped up on later starts. See runner.ts for the behaviour and incidents.ts for the
 * incidents.
 */
export {
  DEFAULT_CHECKPOINT_ROWS,
  DEMO_GENERATOR_VERSION,
  seedDemoEstate,
  type DemoProgress,
  type DemoSeedReport,
  type SeedDemoEstateOptions,
} from './runner.js';
export {
  DEFAULT_DEMO_SEED,
  DEMO_ORGANIZATION_IDS,
  buildDemoPlan,
  type DemoOrg,
  type DemoPlan,
  type DemoPlanOptions,
} from './plan.js';
export {
  DEMO_SIZES,
  MAX_HISTORY_HOURS,
  MAX_METRIC_INSTANCES,
  resolveDemoSize,
  type DemoSize,
  type DemoSizeName,
  type DemoSizeSpec,
} from './size.js';
export { INCIDENT_FIGURES, incidentTimeline, type IncidentTimeline } from './incidents.js';
export {
  collectDemoRows,
  DEFAULT_BATCH_ROWS,
  digestRows,
  type CollectDemoRowsOptions,
  type CollectedDemoRows,
} from './generate.js';
export { ORG_PROFILES, PRIMARY_PROFILE, SECOND_PROFILE, type OrgProfile } from './profiles.js';
export type { PgWrite, Row as DemoRow } from './model.js';
