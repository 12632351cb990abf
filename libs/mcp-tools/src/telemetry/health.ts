/**
 * The health verdict of a service from its current figures. Thresholds are the ones an
 * on-call engineer would page on, fixed here so every tool says the same thing:
 *
 * | figure                 | degraded from | critical from |
 * | ---------------------- | ------------- | ------------- |
 * | error rate (%)         | 1             | 5             |
 * | CPU (%)                | 80            | 90            |
 * | memory (%)             | 80            | 90            |
 * | p95 latency (ms)       | 1000          | 3000          |
 *
 * A figure that is missing is not judged; with no figure at all the verdict is `no_data`.
 */

/** Figures a verdict is made from (each optional). */
export interface HealthFigures {
  errorRatePercent?: number | null;
  cpuPercent?: number | null;
  memoryPercent?: number | null;
  p95LatencyMs?: number | null;
}

/** The verdict and the reasons behind it. */
export interface HealthVerdict {
  status: 'healthy' | 'degraded' | 'critical' | 'no_data';
  reasons: string[];
}

const RULES: readonly {
  key: keyof HealthFigures;
  label: string;
  unit: string;
  degraded: number;
  critical: number;
}[] = [
  { key: 'errorRatePercent', label: 'error rate', unit: '%', degraded: 1, critical: 5 },
  { key: 'cpuPercent', label: 'CPU', unit: '%', degraded: 80, critical: 90 },
  { key: 'memoryPercent', label: 'memory', unit: '%', degraded: 80, critical: 90 },
  { key: 'p95LatencyMs', label: 'p95 latency', unit: ' ms', degraded: 1000, critical: 3000 },
];

/** Judges `figures` by the table in the module header. */
export function healthVerdict(figures: HealthFigures): HealthVerdict {
  let known = 0;
  let level = 0;
  const reasons: string[] = [];
  for (const rule of RULES) {
    const value = figures[rule.key];
    if (value === null || value === undefined || !Number.isFinite(value)) continue;
    known++;
    const shown = `${rule.label} ${Math.round(value * 100) / 100}${rule.unit}`;
    if (value >= rule.critical) {
      level = 2;
      reasons.push(`${shown} (critical from ${rule.critical}${rule.unit})`);
    } else if (value >= rule.degraded) {
      level = Math.max(level, 1);
      reasons.push(`${shown} (degraded from ${rule.degraded}${rule.unit})`);
    }
  }
  if (known === 0) return { status: 'no_data', reasons: ['no metrics or spans in the window'] };
  return { status: (['healthy', 'degraded', 'critical'] as const)[level] ?? 'healthy', reasons };
}
