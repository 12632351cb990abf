/**
 * Public surface of the context module: the context-type catalog, insight types,
 * time ranges and the TelemetryContext shape. Named exports only, so every public
 * name is listed here on purpose.
 */
export {
  CONTEXT_TYPE_CATALOG,
  CONTEXT_TYPE_GROUPS,
  CONTEXT_TYPE_GROUP_LABELS,
  CONTEXT_TYPES,
  DATA_FAMILIES,
  PLATFORM_CONTEXT_TYPES,
  SEED_CONTEXT_TYPES,
  contextTypesByGroup,
  getContextTypeDefinition,
  isContextType,
  parseContextType,
  type ContextType,
  type ContextTypeDefinition,
  type ContextTypeGroup,
  type DataFamily,
} from './context-type.js';
export { INSIGHT_TYPES, isInsightType, parseInsightType, type InsightType } from './insight-type.js';
export {
  DEFAULT_WINDOW_MS,
  TimeRange,
  parseWindow,
  type TimeInput,
  type TimeRangeJSON,
  type TimeRangeOptions,
} from './time-range.js';
export {
  SYSTEM_SUMMARY_PREFIX,
  isSystemContext,
  noDataContext,
  unavailableContext,
  type SystemContextData,
  type SystemContextStatus,
  type TelemetryContext,
} from './telemetry-context.js';
export { editDistance, nearMatches } from './near-match.js';
