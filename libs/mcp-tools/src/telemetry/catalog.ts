/**
 * The SRE investigation catalog as one unit: the five telemetry tools, the telemetry
 * resources and the investigation prompts when a ClickHouse datasource is given; the
 * schema resources always (`schema://clickhouse` is derived from the migrations and needs
 * no engine; `schema://postgresql` needs the PostgreSQL datasource).
 *
 * Decision: the prompts join only with ClickHouse, because every one of them starts with
 * tools that read it.
 */
import type { SqlDatasource } from '@tfo/domain';
import type { PromptDefinition, ResourceDefinition, ToolDefinition } from '../definitions.js';
import { investigationPrompts } from '../prompts/investigation-prompts.js';
import {
  createClickHouseSchemaResource,
  createClickHouseTableResource,
  createPostgresSchemaResource,
} from '../resources/schema.resource.js';
import { createSliReportResource } from '../resources/sli-report.resource.js';
import { createTelemetryMetricResource } from '../resources/telemetry-metric.resource.js';
import { createCheckSliComplianceTool } from '../tools/check-sli-compliance.tool.js';
import { createDetectAnomaliesTool } from '../tools/detect-anomalies.tool.js';
import { createGetCurrentMetricsTool } from '../tools/get-current-metrics.tool.js';
import { createListServicesTool } from '../tools/list-services.tool.js';
import { createQueryHistoricalMetricsTool } from '../tools/query-historical-metrics.tool.js';

/** What the telemetry catalog is built from. */
export interface TelemetryCatalogDependencies {
  /** The read-only ClickHouse datasource, when configured. */
  clickhouse?: SqlDatasource | undefined;
  /** The read-only PostgreSQL datasource, when configured. */
  postgres?: SqlDatasource | undefined;
  /** Organization the resources read when the read carries none (the configured default). */
  organizationId?: string | undefined;
}

/** The telemetry tools, resources and prompts. */
export interface TelemetryCatalog {
  tools: ToolDefinition[];
  resources: ResourceDefinition[];
  prompts: PromptDefinition[];
}

/** Builds the catalog the given datasources support (see the module header). */
export function createTelemetryCatalog(deps: TelemetryCatalogDependencies): TelemetryCatalog {
  const resources: ResourceDefinition[] = [createClickHouseSchemaResource(), createClickHouseTableResource()];
  if (deps.postgres) resources.push(createPostgresSchemaResource(deps.postgres));
  const ch = deps.clickhouse;
  if (ch === undefined) return { tools: [], resources, prompts: [] };
  resources.push(
    createTelemetryMetricResource(ch, deps.organizationId),
    createSliReportResource(ch, deps.organizationId),
  );
  const tools = [
    createListServicesTool(ch),
    createGetCurrentMetricsTool(ch),
    createQueryHistoricalMetricsTool(ch),
    createCheckSliComplianceTool(ch),
    createDetectAnomaliesTool(ch),
  ] as unknown as ToolDefinition[];
  return { tools, resources, prompts: investigationPrompts as unknown as PromptDefinition[] };
}
