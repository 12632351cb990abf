/**
 * The plan of a demo estate: the organizations with their fixed ids, every entity's id and
 * hash keys, and the incident timeline. Everything the family modules generate is a pure
 * function of this plan and a time window.
 *
 * Invariants:
 * - Ids are derived from (seed, organization id, kind, name): two estates with different
 *   organization ids never share a primary key, and the same estate always gets the same ids.
 * - Values are derived from (seed, organization position, entity name, time), NOT from the
 *   organization id: two estates with the same seed and anchor hold the same series under
 *   different ids (the integration test compares them).
 * - The primary organization's default id is {@link DEMO_ORGANIZATION_ID}; a server's
 *   default organization is that one.
 */
import { ValidationError } from '@tfo/domain';
import { incidentTimeline, INCIDENT_FIGURES, type IncidentTimeline } from './incidents.js';
import { hash2, hash3, hashString, uuidFromKey, unit } from './prng.js';
import { DEMO_ORGANIZATION_ID, DEMO_SECOND_ORGANIZATION_ID } from '@tfo/domain';
import { ORG_PROFILES, type OrgProfile, type ServiceProfile } from './profiles.js';
import type { DemoSizeSpec } from './size.js';
import { DAY } from './time.js';

/**
 * The fixed organization ids live in the domain (the server's default organization is the
 * primary one): "Acme Commerce" first, then "Globex Logistics" with services of its own.
 */
export { DEMO_ORGANIZATION_ID, DEMO_SECOND_ORGANIZATION_ID };

/** The demo organizations' ids, primary first. */
export const DEMO_ORGANIZATION_IDS: readonly string[] = [DEMO_ORGANIZATION_ID, DEMO_SECOND_ORGANIZATION_ID];

/** Seed used when none is given. */
export const DEFAULT_DEMO_SEED = 1;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Tenant columns every ClickHouse row starts with. */
export interface TenantScope {
  organization_id: string;
  workspace_id: string;
  tenant_id: string;
}

/** A service with its ids, keys and placement. */
export interface DemoService {
  profile: ServiceProfile;
  name: string;
  id: string;
  /** Value key (independent of the organization id). */
  key: number;
  scope: TenantScope;
}

/** One organization of the plan. */
export interface DemoOrg {
  index: number;
  profile: OrgProfile;
  id: string;
  name: string;
  slug: string;
  /** Key for ids: includes the organization id. */
  idKey: number;
  /** Key for values: the seed and the organization's position only. */
  valueKey: number;
  workspaceIds: ReadonlyMap<string, string>;
  tenantIds: ReadonlyMap<string, string>;
  /** Scope of infrastructure rows (production workspace, platform tenant). */
  platformScope: TenantScope;
  services: readonly DemoService[];
  serviceByName: ReadonlyMap<string, DemoService>;
}

/** A demo estate's plan. */
export interface DemoPlan {
  seed: number;
  seedKey: number;
  sizeLabel: string;
  spec: DemoSizeSpec;
  /** Anchor (epoch ms, minute-aligned): end of the first generated window. */
  anchor: number;
  incidents: IncidentTimeline;
  orgs: readonly DemoOrg[];
  /** When the inventories were "created" (a quarter before the anchor). */
  createdAt: number;
}

/** A stable id for an entity of `org`. */
export function entityId(org: DemoOrg, kind: string, name: string): string {
  return uuidFromKey(hash3(org.idKey, hashString(kind), hashString(name)));
}

/** A stable value key for an entity of `org` (independent of the organization id). */
export function valueKey(org: DemoOrg, kind: string, name: string): number {
  return hash3(org.valueKey, hashString(kind), hashString(name));
}

const K8S_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Kubernetes-style random suffix of `length` characters from a hash key. */
export function k8sSuffix(key: number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    out += K8S_ALPHABET[Math.floor(unit(hash2(key, i)) * K8S_ALPHABET.length)] as string;
  }
  return out;
}

/** Pod names of a deployment for a ReplicaSet `revision`. */
export function podNames(org: DemoOrg, service: string, replicas: number, revision: string): string[] {
  const rs = k8sSuffix(hash3(org.valueKey, hashString(service), hashString(revision)), 10);
  return Array.from(
    { length: replicas },
    (_, i) =>
      `${service}-${rs}-${k8sSuffix(hash3(org.valueKey, hashString(`${service}/${revision}`), i), 5)}`,
  );
}

/** ReplicaSet revision (the image version) of a Kubernetes service at `t`. */
export function serviceVersionAt(plan: DemoPlan, org: DemoOrg, service: string, t: number): string {
  const svc = org.serviceByName.get(service);
  if (svc === undefined) return 'unknown';
  if (org.index === 0 && service === 'checkout-service') {
    const d = plan.incidents.badDeploy;
    return t >= d.deployAt && t < d.rollbackAt ? INCIDENT_FIGURES.badVersion : INCIDENT_FIGURES.goodVersion;
  }
  return svc.profile.version;
}

/**
 * Replicas of a Kubernetes service at `t`: payment-processor's autoscaler scales to its
 * maximum 3 minutes into the CPU spike and back down at A-1m (after a 4-minute
 * stabilisation window), so the inventory at the anchor shows 4 replicas again.
 */
export function replicasAt(plan: DemoPlan, org: DemoOrg, service: DemoService, t: number): number {
  if (org.index === 0 && service.name === 'payment-processor') {
    const c = plan.incidents.cpuSpike;
    if (t >= c.start + 3 * 60_000 && t < plan.incidents.anchor - 60_000) return PAYMENT_MAX_REPLICAS;
  }
  return service.profile.replicas;
}

/** The autoscaler's maximum for payment-processor. */
export const PAYMENT_MAX_REPLICAS = 10;

const podCache = new Map<string, readonly string[]>();

/** Pod names of a Kubernetes service at `t` (ReplicaSet of the version then, replicas then). */
export function podsAt(plan: DemoPlan, org: DemoOrg, service: DemoService, t: number): readonly string[] {
  if (service.profile.runtime !== 'kubernetes') return [];
  const version = serviceVersionAt(plan, org, service.name, t);
  const replicas = replicasAt(plan, org, service, t);
  const key = `${org.valueKey}/${service.name}/${version}/${replicas}`;
  let pods = podCache.get(key);
  if (pods === undefined) {
    pods = podNames(org, service.name, replicas, version);
    if (podCache.size > 10_000) podCache.clear();
    podCache.set(key, pods);
  }
  return pods;
}

/** Options of {@link buildDemoPlan}. */
export interface DemoPlanOptions {
  seed: number;
  sizeLabel: string;
  spec: DemoSizeSpec;
  anchor: number;
  /** Organization ids, primary first; defaults to {@link DEMO_ORGANIZATION_IDS}. */
  organizationIds?: readonly string[];
}

/** Builds the plan; throws ValidationError on a bad seed or organization id list. */
export function buildDemoPlan(options: DemoPlanOptions): DemoPlan {
  const ids = options.organizationIds ?? DEMO_ORGANIZATION_IDS;
  if (
    ids.length !== ORG_PROFILES.length ||
    new Set(ids).size !== ids.length ||
    !ids.every((id) => UUID.test(id))
  ) {
    throw new ValidationError(`The demo estate needs ${ORG_PROFILES.length} distinct organization UUIDs`, {
      code: 'DEMO.INVALID_ORGANIZATIONS',
    });
  }
  if (!Number.isSafeInteger(options.seed) || options.seed < 0) {
    throw new ValidationError(
      `The demo seed must be a non-negative safe integer, got ${String(options.seed)}`,
      {
        code: 'DEMO.INVALID_SEED',
      },
    );
  }
  const seedKey = hash2(options.seed >>> 0, Math.floor(options.seed / 4_294_967_296));
  const plan: DemoPlan = {
    seed: options.seed,
    seedKey,
    sizeLabel: options.sizeLabel,
    spec: options.spec,
    anchor: options.anchor,
    incidents: incidentTimeline(options.anchor),
    orgs: [],
    createdAt: options.anchor - 90 * DAY,
  };
  const orgs = ORG_PROFILES.map((profile, index) => buildOrg(plan, profile, index, ids[index] as string));
  return { ...plan, orgs };
}

function buildOrg(plan: DemoPlan, profile: OrgProfile, index: number, id: string): DemoOrg {
  const wellKnown = id.toLowerCase() === DEMO_ORGANIZATION_IDS[index];
  const org: DemoOrg = {
    index,
    profile,
    id: id.toLowerCase(),
    name: profile.name,
    slug: wellKnown ? profile.slug : `${profile.slug}-${id.slice(0, 8).toLowerCase()}`,
    idKey: hash2(plan.seedKey, hashString(id.toLowerCase())),
    valueKey: hash2(plan.seedKey, 0x51ed0000 + index),
    workspaceIds: new Map(),
    tenantIds: new Map(),
    platformScope: { organization_id: id, workspace_id: '', tenant_id: '' },
    services: [],
    serviceByName: new Map(),
  };
  const workspaceIds = new Map(profile.workspaces.map((w) => [w.slug, entityId(org, 'workspace', w.slug)]));
  const tenantIds = new Map(profile.tenants.map((t) => [t.slug, entityId(org, 'tenant', t.slug)]));
  const scopeOf = (tenantSlug: string): TenantScope => {
    const tenant = profile.tenants.find((t) => t.slug === tenantSlug) ?? profile.tenants[0];
    return {
      organization_id: org.id,
      workspace_id: workspaceIds.get(tenant?.workspace ?? '') ?? '',
      tenant_id: tenantIds.get(tenant?.slug ?? '') ?? '',
    };
  };
  const withMaps: DemoOrg = {
    ...org,
    workspaceIds,
    tenantIds,
    platformScope: scopeOf(profile.platformTenant),
  };
  const services: DemoService[] = profile.services.map((s) => ({
    profile: s,
    name: s.name,
    id: entityId(withMaps, 'service', s.name),
    key: valueKey(withMaps, 'service', s.name),
    scope: scopeOf(s.tenant),
  }));
  return { ...withMaps, services, serviceByName: new Map(services.map((s) => [s.name, s])) };
}

/**
 * `created_at` / `updated_at` of an inventory row: created during the quarter before the
 * anchor, updated at some point between then and the anchor. Pure in (plan, key).
 */
export function inventoryStamps(plan: DemoPlan, key: number): { created_at: string; updated_at: string } {
  const created = plan.createdAt + Math.floor(unit(hash2(key, 0xc7)) * 30 * DAY);
  const updated = created + Math.floor(unit(hash2(key, 0xd8)) * (plan.anchor - created) * 0.9);
  return { created_at: new Date(created).toISOString(), updated_at: new Date(updated).toISOString() };
}
