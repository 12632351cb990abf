import { describe, expect, it } from '@jest/globals';
import { INCIDENT_FIGURES } from './incidents.js';
import { buildDemoPlan, type DemoOrg, type DemoService } from './plan.js';
import { DEMO_SIZES } from './size.js';
import {
  cpuPercent,
  errorProbability,
  extraCheckoutQueries,
  latencyFactor,
  memoryPercent,
  orgLoad,
} from './signals.js';
import { HOUR, MINUTE } from './time.js';

const anchor = Date.UTC(2025, 5, 11, 12, 0);
const plan = buildDemoPlan({ seed: 1, sizeLabel: 'small', spec: DEMO_SIZES.small, anchor });
const [primary, second] = plan.orgs as [DemoOrg, DemoOrg];
const svc = (org: DemoOrg, name: string): DemoService => org.serviceByName.get(name) as DemoService;
const at = (minutes: number): number => anchor + minutes * MINUTE;
const avg = (f: (t: number) => number, fromMin: number, toMin: number): number => {
  let sum = 0;
  for (let m = fromMin; m < toMin; m++) sum += f(at(m));
  return sum / (toMin - fromMin);
};

describe('payment-processor CPU spike', () => {
  const payment = svc(primary, 'payment-processor');
  const cpu = (t: number): number => cpuPercent(plan, primary, payment, t);

  it('holds about 95 % from A-23m to A-5m and about 35 % before', () => {
    for (let m = -23; m < -5; m++) expect(cpu(at(m))).toBeGreaterThan(91);
    expect(avg(cpu, -300, -60)).toBeGreaterThan(25);
    expect(avg(cpu, -300, -60)).toBeLessThan(45);
    expect(cpu(at(-2))).toBeLessThan(50);
  });

  it('raises errors two minutes after the CPU, and latency with it', () => {
    const err = (t: number): number => errorProbability(plan, primary, payment, t);
    expect(err(at(-24))).toBeLessThan(0.01);
    expect(err(at(-20))).toBeCloseTo(INCIDENT_FIGURES.paymentSpikeErrorRate, 5);
    expect(err(at(-2))).toBeLessThan(0.01);
    expect(latencyFactor(plan, primary, payment, at(-15))).toBeGreaterThan(
      3 * latencyFactor(plan, primary, payment, at(-90)),
    );
  });
});

describe('database-primary memory leak', () => {
  const db = svc(primary, 'database-primary');
  const mem = (t: number): number => memoryPercent(plan, primary, db, t);

  it('rises linearly from 55 % six hours before the anchor to 93 % at the anchor', () => {
    expect(mem(at(-360))).toBeCloseTo(55, 0);
    expect(mem(at(-1))).toBeGreaterThan(92);
    for (let m = -360; m < -10; m += 10) expect(mem(at(m + 10))).toBeGreaterThan(mem(at(m)));
  });

  it('peaks near 97 % and drops after the OOM kill at A+25m', () => {
    expect(mem(at(20))).toBeGreaterThan(96);
    expect(mem(at(26))).toBeLessThan(52);
  });
});

describe('bad deployment of checkout-service', () => {
  it('adds 6 inventory queries per checkout from A-150m until the rollback at A+45m', () => {
    expect(extraCheckoutQueries(plan, primary, at(-151))).toBe(0);
    expect(extraCheckoutQueries(plan, primary, at(-150))).toBe(INCIDENT_FIGURES.checkoutExtraQueries);
    expect(extraCheckoutQueries(plan, primary, at(44))).toBe(INCIDENT_FIGURES.checkoutExtraQueries);
    expect(extraCheckoutQueries(plan, primary, at(45))).toBe(0);
  });
});

describe('the second organization', () => {
  it('has none of the incidents', () => {
    expect(extraCheckoutQueries(plan, second, at(-60))).toBe(0);
    for (const s of second.services) {
      expect(cpuPercent(plan, second, s, at(-15))).toBeLessThan(80);
      expect(errorProbability(plan, second, s, at(-15))).toBeLessThan(0.01);
    }
  });

  it('follows its own time zone', () => {
    // 15:00 UTC is 16:00 in the primary's zone (its peak) and 10:00 in the second's.
    expect(orgLoad(primary, Date.UTC(2025, 5, 11, 15))).toBeGreaterThan(
      orgLoad(second, Date.UTC(2025, 5, 11, 15)),
    );
    expect(orgLoad(second, Date.UTC(2025, 5, 11, 21))).toBeGreaterThan(
      orgLoad(second, Date.UTC(2025, 5, 11, 9)),
    );
  });
});

describe('purity', () => {
  it('gives the same values for the same inputs, whatever was computed before', () => {
    const s = svc(primary, 'search-service');
    const t = at(-100) + 17_000;
    const first = [
      cpuPercent(plan, primary, s, t),
      memoryPercent(plan, primary, s, t),
      errorProbability(plan, primary, s, t),
    ];
    for (let m = 0; m < 50; m++) cpuPercent(plan, primary, s, at(-m));
    expect([
      cpuPercent(plan, primary, s, t),
      memoryPercent(plan, primary, s, t),
      errorProbability(plan, primary, s, t),
    ]).toEqual(first);
    expect(HOUR).toBe(60 * MINUTE);
  });
});
