/**
 * @tfo/context-collector: TelemetryFlow's ContextCollector. `collectContext(...)` returns a
 * TelemetryContext for every one of the 138 context types, read from PostgreSQL and
 * ClickHouse through the domain's SqlDatasource port, scoped to the caller's organization,
 * on the rollup grain that fits the window, within a deadline, never throwing.
 */
export {
  ContextCollector,
  DEFAULT_DEADLINE_MS,
  DEFAULT_MAX_ITEMS,
  MAX_ITEMS_LIMIT,
  type CollectContextRequest,
  type ContextCollectorOptions,
} from './collector.js';
export { GRAINS, grainFor, type Grain } from './grain.js';
export { ALL_SPECS, specFor, specifiedContextTypes } from './registry.js';
export type { ContextSpec, Built, SourceBuilder } from './spec.js';
export type { QueryInput, SourceQuery, Engine } from './sql.js';
