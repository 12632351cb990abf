/**
 * Readiness of the server for `/readyz`: ready when both engines of the data plane answer a
 * ping (the same checks `status://health` shows), or at once when the data plane is off. The
 * demo estate is not a datasource and does not hold readiness back.
 */
import type { HealthCheck } from '@tfo/mcp-tools';

/** The engines whose health decides readiness. */
const ENGINES = new Set(['postgresql', 'clickhouse']);

/** The `/readyz` answer. */
export interface Readiness {
  ready: boolean;
  /** Why not ready, one sentence per engine. */
  reasons: string[];
  components: { name: string; status: string; detail?: string }[];
}

/** Runs the engines' checks (all of them when `checks` is empty: nothing to wait for). */
export async function checkReadiness(checks: readonly HealthCheck[]): Promise<Readiness> {
  const engines = checks.filter((c) => ENGINES.has(c.name));
  const components = await Promise.all(
    engines.map(async (c) => {
      try {
        return { name: c.name, ...(await c.check()) };
      } catch (error) {
        return { name: c.name, status: 'down' as const, detail: (error as Error).message };
      }
    }),
  );
  const reasons = components
    .filter((c) => c.status !== 'up')
    .map((c) => `${c.name} is ${c.status}${c.detail ? ` (${c.detail})` : ''}`);
  return { ready: reasons.length === 0, reasons, components };
}
