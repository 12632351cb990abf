/**
 * The families of the demo estate, in write order (PostgreSQL foreign keys: tenancy first,
 * a family's parent tables before its children).
 */
import { alertsFamily } from './alerts.js';
import { dbMonitoringFamily } from './dbmon.js';
import { infrastructureFamily } from './infrastructure.js';
import { intelligenceFamily } from './intelligence.js';
import { kubernetesFamily } from './kubernetes.js';
import { mapsFamily } from './maps.js';
import type { DemoFamily } from './model.js';
import { securityFamily } from './security.js';
import { serverActivityStream } from './server-activity.js';
import { serviceLogStream, serviceMetricStream } from './services.js';
import { settingsFamily } from './settings.js';
import { tenancyFamily } from './tenancy.js';
import { traceStream } from './traces.js';
import { uptimeFamily } from './uptime.js';

/** Service telemetry: metrics, traces with their logs and exemplars, background logs. */
export const telemetryFamily: DemoFamily = {
  name: 'telemetry',
  pgTables: [],
  streams: [serviceMetricStream, traceStream, serviceLogStream],
};

/** The MCP server's own history. */
export const serverActivityFamily: DemoFamily = {
  name: 'server-activity',
  pgTables: [],
  streams: [serverActivityStream],
};

/** Every family, in write order. */
export const DEMO_FAMILIES: readonly DemoFamily[] = [
  tenancyFamily,
  settingsFamily,
  telemetryFamily,
  infrastructureFamily,
  kubernetesFamily,
  mapsFamily,
  alertsFamily,
  uptimeFamily,
  securityFamily,
  dbMonitoringFamily,
  intelligenceFamily,
  serverActivityFamily,
];
