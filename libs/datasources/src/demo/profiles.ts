/**
 * The static shape of the demo organizations: tenancy, services and their call graph,
 * hosts, Kubernetes clusters, monitored databases, uptime monitors and people. Pure data;
 * ids, values and times are derived from it elsewhere (plan.ts and the family modules).
 *
 * Invariants:
 * - Service names are unique within an organization and differ between the two
 *   organizations, so tenant isolation is visible in every table that carries them.
 * - Every service a route calls is declared in `services`; every database service names
 *   its engine, and every engine of the db-monitoring context list appears in at least
 *   one organization's `databases`.
 * - Domains are `.example` names (RFC 2606); addresses are private or documentation ranges.
 */

/** What a service is, for span kinds, metric names and inventories. */
export type ServiceKind = 'web' | 'gateway' | 'service' | 'worker' | 'database' | 'cache' | 'queue';

/** One service of an organization. */
export interface ServiceProfile {
  name: string;
  kind: ServiceKind;
  language: string;
  version: string;
  /** Tenant slug the service belongs to. */
  tenant: string;
  /** Where it runs: a Kubernetes deployment, a VM (`host`), or a managed service. */
  runtime: 'kubernetes' | 'vm' | 'managed';
  /** Kubernetes namespace (kubernetes runtime). */
  namespace?: string;
  /** VM host name (vm runtime). */
  host?: string;
  /** CPU percent at the daily low and at the daily peak. */
  cpu: readonly [number, number];
  /** Typical memory use, percent of the limit. */
  memoryPercent: number;
  memoryLimitGiB: number;
  /** Requests (or queries, messages) per second at the daily peak. */
  peakRps: number;
  /** Baseline probability that one of its spans fails. */
  errorRate: number;
  replicas: number;
  /** Database engine id for database services (`postgresql`, `mongodb-atlas`, ...). */
  engine?: string;
  /** JVM services log GC pauses and show a sawtooth heap. */
  jvm?: boolean;
}

/** One operation in a route's call tree. */
export interface RouteNode {
  service: string;
  /** Span name. */
  op: string;
  /** Span kind; SERVER when omitted (CLIENT for databases, caches and queues). */
  kind?: 'SERVER' | 'CLIENT' | 'CONSUMER' | 'PRODUCER' | 'INTERNAL';
  /** Protocol of the call from the parent (service map); `http` when omitted. */
  protocol?: string;
  /** Median self time, milliseconds. */
  ms: number;
  children?: readonly RouteNode[];
  /** Children run in parallel (duration = the slowest) instead of one after the other. */
  parallel?: boolean;
}

/** An entry point of traffic: a root operation and its relative weight. */
export interface RouteProfile {
  weight: number;
  root: RouteNode;
}

/** A virtual machine / host. */
export interface VmProfile {
  name: string;
  role: string;
  /** Service running on it, if any. */
  service?: string;
  cpus: number;
  memoryGiB: number;
  diskGiB: number;
  os: string;
  zone: string;
  ip: string;
  /** Baseline CPU percent at low and peak load. */
  cpu: readonly [number, number];
}

/** A Kubernetes cluster. */
export interface ClusterProfile {
  name: string;
  provider: string;
  region: string;
  version: string;
  nodes: number;
  nodeCpus: number;
  nodeMemoryGiB: number;
  zone: string;
  /** Node IPs start here (last octet incremented). */
  nodeIpBase: string;
  /** Only inventory and node series (no workloads of the call graph). */
  staging?: boolean;
}

/** A monitored database instance. */
export interface DatabaseProfile {
  name: string;
  engine: string;
  version: string;
  host: string;
  port: number;
  environment: string;
  cloud: string;
  /** The service of the call graph this instance is, if any. */
  service?: string;
  team: string;
  /** Typical active connections and their maximum. */
  connections: readonly [number, number];
  qps: number;
  replica?: boolean;
}

/** A synthetic (uptime) monitor. */
export interface MonitorProfile {
  name: string;
  url: string;
  method: string;
  intervalSeconds: number;
  regions: readonly string[];
  expectedStatus: number;
  /** The service whose health drives the check, if any. */
  service?: string;
  /** Median response time, milliseconds. */
  ms: number;
  /** Baseline failure probability per check. */
  flakiness: number;
}

/** A person with an account. */
export interface UserProfile {
  name: string;
  /** Local part of the e-mail address (the domain is the organization's). */
  login: string;
  status: 'active' | 'invited' | 'suspended';
  mfa: boolean;
  roles: readonly string[];
  timezone: string;
  locale: string;
}

/** One demo organization. */
export interface OrgProfile {
  key: 'primary' | 'second';
  name: string;
  slug: string;
  plan: string;
  region: string;
  domain: string;
  utcOffsetHours: number;
  /** Share of `tracesPerMinute` that belongs to this organization. */
  traceShare: number;
  workspaces: readonly { slug: string; name: string; description: string }[];
  tenants: readonly { slug: string; name: string; workspace: string; region: string }[];
  /** Tenant slug used for infrastructure rows that belong to no single service. */
  platformTenant: string;
  services: readonly ServiceProfile[];
  routes: readonly RouteProfile[];
  vms: readonly VmProfile[];
  clusters: readonly ClusterProfile[];
  databases: readonly DatabaseProfile[];
  monitors: readonly MonitorProfile[];
  users: readonly UserProfile[];
  /** Cloud provider for cost rows. */
  cloud: string;
}

const PG = { protocol: 'postgresql', kind: 'CLIENT' } as const;
const REDIS = { protocol: 'redis', kind: 'CLIENT' } as const;

const checkoutTree: RouteNode = {
  service: 'checkout-service',
  op: 'POST /checkout',
  protocol: 'grpc',
  ms: 45,
  children: [
    {
      service: 'cart-service',
      op: 'GET /cart',
      protocol: 'grpc',
      ms: 8,
      children: [{ service: 'redis-cache', op: 'HGETALL cart:*', ms: 1, ...REDIS }],
    },
    {
      service: 'inventory-service',
      op: 'POST /inventory/reserve',
      protocol: 'grpc',
      ms: 20,
      children: [{ service: 'database-primary', op: 'UPDATE inventory', ms: 6, ...PG }],
    },
    {
      service: 'payment-processor',
      op: 'POST /payments/charge',
      protocol: 'grpc',
      ms: 60,
      children: [
        { service: 'fraud-detection', op: 'POST /score', protocol: 'grpc', ms: 35 },
        { service: 'database-primary', op: 'INSERT payments', ms: 5, ...PG },
      ],
    },
    {
      service: 'order-service',
      op: 'POST /orders',
      protocol: 'grpc',
      ms: 25,
      children: [
        { service: 'database-primary', op: 'INSERT orders', ms: 6, ...PG },
        { service: 'kafka-broker', op: 'orders.created publish', kind: 'PRODUCER', protocol: 'kafka', ms: 3 },
      ],
    },
  ],
};

const productSearch: RouteNode = {
  service: 'search-service',
  op: 'GET /search',
  ms: 35,
  children: [{ service: 'redis-cache', op: 'GET search:*', ms: 1.2, ...REDIS }],
};

const recommendations: RouteNode = {
  service: 'recommendation-service',
  op: 'GET /recommendations',
  ms: 40,
  children: [{ service: 'redis-cache', op: 'MGET reco:*', ms: 1.5, ...REDIS }],
};

const gateway = (op: string, child: RouteNode, ms = 4): RouteNode => ({
  service: 'api-gateway',
  op,
  ms,
  children: [child],
});

/** The primary organization: an online shop. */
export const PRIMARY_PROFILE: OrgProfile = {
  key: 'primary',
  name: 'Acme Commerce',
  slug: 'acme-commerce',
  plan: 'enterprise',
  region: 'eu-west-1',
  domain: 'acme.example',
  utcOffsetHours: 1,
  traceShare: 0.6,
  workspaces: [
    { slug: 'production', name: 'Production', description: 'Customer-facing shop and payments' },
    { slug: 'staging', name: 'Staging', description: 'Pre-production copies and load tests' },
  ],
  tenants: [
    { slug: 'storefront', name: 'Storefront', workspace: 'production', region: 'eu-west-1' },
    { slug: 'payments', name: 'Payments', workspace: 'production', region: 'eu-west-1' },
    { slug: 'platform', name: 'Platform', workspace: 'production', region: 'eu-west-1' },
    { slug: 'staging-default', name: 'Staging', workspace: 'staging', region: 'eu-central-1' },
  ],
  platformTenant: 'platform',
  cloud: 'aws',
  // prettier-ignore
  services: [
    { name: 'web-frontend', kind: 'web', language: 'typescript', version: 'v5.8.1', tenant: 'storefront', runtime: 'kubernetes', namespace: 'storefront', cpu: [10, 34], memoryPercent: 46, memoryLimitGiB: 2, peakRps: 220, errorRate: 0.002, replicas: 3 },
    { name: 'api-gateway', kind: 'gateway', language: 'go', version: 'v3.2.0', tenant: 'storefront', runtime: 'kubernetes', namespace: 'storefront', cpu: [14, 42], memoryPercent: 34, memoryLimitGiB: 1, peakRps: 480, errorRate: 0.001, replicas: 4 },
    { name: 'checkout-service', kind: 'service', language: 'java', version: 'v2.15.0', tenant: 'storefront', runtime: 'kubernetes', namespace: 'storefront', cpu: [16, 40], memoryPercent: 61, memoryLimitGiB: 4, peakRps: 45, errorRate: 0.003, replicas: 3, jvm: true },
    { name: 'payment-processor', kind: 'service', language: 'java', version: 'v4.7.2', tenant: 'payments', runtime: 'kubernetes', namespace: 'payments', cpu: [28, 40], memoryPercent: 58, memoryLimitGiB: 4, peakRps: 60, errorRate: 0.004, replicas: 4, jvm: true },
    { name: 'cart-service', kind: 'service', language: 'go', version: 'v1.19.4', tenant: 'storefront', runtime: 'kubernetes', namespace: 'storefront', cpu: [9, 28], memoryPercent: 41, memoryLimitGiB: 1, peakRps: 140, errorRate: 0.001, replicas: 3 },
    { name: 'inventory-service', kind: 'service', language: 'python', version: 'v3.4.0', tenant: 'storefront', runtime: 'kubernetes', namespace: 'storefront', cpu: [12, 33], memoryPercent: 52, memoryLimitGiB: 2, peakRps: 90, errorRate: 0.002, replicas: 2 },
    { name: 'order-service', kind: 'service', language: 'kotlin', version: 'v2.9.3', tenant: 'storefront', runtime: 'kubernetes', namespace: 'storefront', cpu: [14, 35], memoryPercent: 63, memoryLimitGiB: 4, peakRps: 70, errorRate: 0.002, replicas: 3, jvm: true },
    { name: 'user-service', kind: 'service', language: 'go', version: 'v2.1.7', tenant: 'storefront', runtime: 'kubernetes', namespace: 'storefront', cpu: [8, 26], memoryPercent: 37, memoryLimitGiB: 1, peakRps: 160, errorRate: 0.001, replicas: 2 },
    { name: 'search-service', kind: 'service', language: 'python', version: 'v6.0.2', tenant: 'storefront', runtime: 'kubernetes', namespace: 'storefront', cpu: [20, 52], memoryPercent: 66, memoryLimitGiB: 6, peakRps: 200, errorRate: 0.002, replicas: 3 },
    { name: 'recommendation-service', kind: 'service', language: 'python', version: 'v1.12.0', tenant: 'storefront', runtime: 'kubernetes', namespace: 'storefront', cpu: [24, 48], memoryPercent: 71, memoryLimitGiB: 8, peakRps: 120, errorRate: 0.003, replicas: 2 },
    { name: 'notification-service', kind: 'worker', language: 'typescript', version: 'v1.6.5', tenant: 'platform', runtime: 'kubernetes', namespace: 'platform', cpu: [5, 17], memoryPercent: 35, memoryLimitGiB: 1, peakRps: 25, errorRate: 0.004, replicas: 2 },
    { name: 'fraud-detection', kind: 'service', language: 'python', version: 'v2.3.1', tenant: 'payments', runtime: 'kubernetes', namespace: 'payments', cpu: [18, 44], memoryPercent: 60, memoryLimitGiB: 4, peakRps: 55, errorRate: 0.002, replicas: 2 },
    { name: 'database-primary', kind: 'database', language: 'sql', version: '16.4', tenant: 'platform', runtime: 'vm', host: 'db-primary-01', cpu: [22, 52], memoryPercent: 55, memoryLimitGiB: 32, peakRps: 900, errorRate: 0.0005, replicas: 1, engine: 'postgresql' },
    { name: 'redis-cache', kind: 'cache', language: 'c', version: '7.2.5', tenant: 'platform', runtime: 'vm', host: 'redis-01', cpu: [6, 20], memoryPercent: 62, memoryLimitGiB: 16, peakRps: 2500, errorRate: 0.0002, replicas: 1 },
    { name: 'kafka-broker', kind: 'queue', language: 'java', version: '3.7.1', tenant: 'platform', runtime: 'vm', host: 'kafka-01', cpu: [10, 28], memoryPercent: 66, memoryLimitGiB: 16, peakRps: 800, errorRate: 0.0002, replicas: 3, jvm: true },
  ],
  routes: [
    {
      weight: 14,
      root: {
        service: 'web-frontend',
        op: 'GET /',
        ms: 25,
        parallel: true,
        children: [
          gateway('GET /api/products', productSearch),
          gateway('GET /api/recommendations', recommendations),
        ],
      },
    },
    { weight: 16, root: gateway('GET /api/products', productSearch) },
    {
      weight: 14,
      root: gateway('GET /api/cart', {
        service: 'cart-service',
        op: 'GET /cart',
        ms: 8,
        children: [{ service: 'redis-cache', op: 'HGETALL cart:*', ms: 1, ...REDIS }],
      }),
    },
    { weight: 14, root: gateway('POST /api/checkout', checkoutTree, 5) },
    {
      weight: 8,
      root: gateway('GET /api/payments/methods', {
        service: 'payment-processor',
        op: 'GET /payments/methods',
        ms: 12,
        children: [{ service: 'database-primary', op: 'SELECT payment_methods', ms: 3, ...PG }],
      }),
    },
    {
      weight: 12,
      root: gateway('GET /api/users/me', {
        service: 'user-service',
        op: 'GET /users/me',
        ms: 6,
        children: [
          { service: 'redis-cache', op: 'GET session:*', ms: 1, ...REDIS },
          { service: 'database-primary', op: 'SELECT users', ms: 3, ...PG },
        ],
      }),
    },
    {
      weight: 7,
      root: gateway('GET /api/orders', {
        service: 'order-service',
        op: 'GET /orders',
        ms: 15,
        children: [{ service: 'database-primary', op: 'SELECT orders', ms: 12, ...PG }],
      }),
    },
    {
      weight: 5,
      root: {
        service: 'notification-service',
        op: 'orders.created process',
        kind: 'CONSUMER',
        protocol: 'kafka',
        ms: 30,
        children: [
          { service: 'database-primary', op: 'SELECT orders', ms: 4, ...PG },
          { service: 'notification-service', op: 'smtp send', kind: 'INTERNAL', ms: 120 },
        ],
      },
    },
    {
      weight: 2,
      root: gateway('POST /api/payments/refund', {
        service: 'payment-processor',
        op: 'POST /payments/refund',
        ms: 45,
        children: [{ service: 'database-primary', op: 'UPDATE payments', ms: 6, ...PG }],
      }),
    },
  ],
  // prettier-ignore
  vms: [
    { name: 'db-primary-01', role: 'database', service: 'database-primary', cpus: 16, memoryGiB: 32, diskGiB: 2000, os: 'Ubuntu 22.04', zone: 'eu-west-1a', ip: '10.20.1.10', cpu: [22, 52] },
    { name: 'db-replica-01', role: 'database', cpus: 16, memoryGiB: 32, diskGiB: 2000, os: 'Ubuntu 22.04', zone: 'eu-west-1b', ip: '10.20.2.10', cpu: [12, 30] },
    { name: 'redis-01', role: 'cache', service: 'redis-cache', cpus: 4, memoryGiB: 16, diskGiB: 100, os: 'Ubuntu 22.04', zone: 'eu-west-1a', ip: '10.20.1.20', cpu: [6, 20] },
    { name: 'kafka-01', role: 'queue', service: 'kafka-broker', cpus: 8, memoryGiB: 16, diskGiB: 1000, os: 'Amazon Linux 2023', zone: 'eu-west-1a', ip: '10.20.1.30', cpu: [10, 28] },
    { name: 'kafka-02', role: 'queue', cpus: 8, memoryGiB: 16, diskGiB: 1000, os: 'Amazon Linux 2023', zone: 'eu-west-1b', ip: '10.20.2.30', cpu: [10, 27] },
    { name: 'kafka-03', role: 'queue', cpus: 8, memoryGiB: 16, diskGiB: 1000, os: 'Amazon Linux 2023', zone: 'eu-west-1c', ip: '10.20.3.30', cpu: [9, 26] },
    { name: 'bastion-01', role: 'bastion', cpus: 2, memoryGiB: 4, diskGiB: 30, os: 'Ubuntu 22.04', zone: 'eu-west-1a', ip: '10.20.0.5', cpu: [1, 4] },
  ],
  clusters: [
    {
      name: 'acme-prod-eu',
      provider: 'eks',
      region: 'eu-west-1',
      version: 'v1.30.4',
      nodes: 6,
      nodeCpus: 8,
      nodeMemoryGiB: 32,
      zone: 'eu-west-1',
      nodeIpBase: '10.20.10.',
    },
    {
      name: 'acme-staging-eu',
      provider: 'eks',
      region: 'eu-central-1',
      version: 'v1.31.1',
      nodes: 2,
      nodeCpus: 4,
      nodeMemoryGiB: 16,
      zone: 'eu-central-1',
      nodeIpBase: '10.30.10.',
      staging: true,
    },
  ],
  // prettier-ignore
  databases: [
    { name: 'database-primary', engine: 'postgresql', version: '16.4', host: 'db-primary-01', port: 5432, environment: 'production', cloud: 'aws', service: 'database-primary', team: 'platform', connections: [120, 500], qps: 900 },
    { name: 'database-replica', engine: 'postgresql', version: '16.4', host: 'db-replica-01', port: 5432, environment: 'production', cloud: 'aws', team: 'platform', connections: [40, 500], qps: 300, replica: true },
    { name: 'analytics-clickhouse', engine: 'clickhouse', version: '24.8', host: 'ch-analytics-01', port: 9000, environment: 'production', cloud: 'aws', team: 'data', connections: [25, 4096], qps: 60 },
    { name: 'catalog-mysql', engine: 'mysql', version: '8.0.39', host: 'mysql-catalog-01', port: 3306, environment: 'production', cloud: 'aws', team: 'storefront', connections: [80, 600], qps: 420 },
    { name: 'legacy-mariadb', engine: 'mariadb', version: '10.11.8', host: 'mariadb-legacy-01', port: 3306, environment: 'production', cloud: 'aws', team: 'storefront', connections: [20, 300], qps: 45 },
    { name: 'reviews-percona', engine: 'percona', version: '8.0.37-29', host: 'percona-01', port: 3306, environment: 'production', cloud: 'aws', team: 'storefront', connections: [35, 400], qps: 110 },
    { name: 'metrics-timescaledb', engine: 'timescaledb', version: '2.16.1', host: 'tsdb-01', port: 5432, environment: 'production', cloud: 'aws', team: 'data', connections: [30, 200], qps: 150 },
    { name: 'sessions-mongodb', engine: 'mongodb-community', version: '7.0.14', host: 'mongo-sessions-01', port: 27017, environment: 'production', cloud: 'aws', team: 'platform', connections: [60, 800], qps: 350 },
    { name: 'carts-dynamodb', engine: 'aws-dynamodb', version: '2012-08-10', host: 'dynamodb.eu-west-1.amazonaws.com', port: 443, environment: 'production', cloud: 'aws', team: 'storefront', connections: [0, 0], qps: 600 },
    { name: 'finance-mssql', engine: 'mssql', version: '2022 CU14', host: 'mssql-finance-01', port: 1433, environment: 'production', cloud: 'azure', team: 'finance', connections: [15, 250], qps: 30 },
  ],
  // prettier-ignore
  monitors: [
    { name: 'Storefront home page', url: 'https://shop.acme.example/', method: 'GET', intervalSeconds: 60, regions: ['eu-west-1', 'us-east-1', 'ap-southeast-1'], expectedStatus: 200, service: 'web-frontend', ms: 180, flakiness: 0.001 },
    { name: 'Checkout API health', url: 'https://api.acme.example/checkout/health', method: 'GET', intervalSeconds: 60, regions: ['eu-west-1', 'us-east-1'], expectedStatus: 200, service: 'checkout-service', ms: 90, flakiness: 0.001 },
    { name: 'Payments API health', url: 'https://api.acme.example/payments/health', method: 'GET', intervalSeconds: 60, regions: ['eu-west-1', 'us-east-1'], expectedStatus: 200, service: 'payment-processor', ms: 85, flakiness: 0.001 },
    { name: 'Login', url: 'https://api.acme.example/auth/login', method: 'POST', intervalSeconds: 300, regions: ['eu-west-1'], expectedStatus: 200, service: 'user-service', ms: 140, flakiness: 0.002 },
    { name: 'Product search', url: 'https://api.acme.example/search?q=shoes', method: 'GET', intervalSeconds: 120, regions: ['eu-west-1', 'us-east-1'], expectedStatus: 200, service: 'search-service', ms: 210, flakiness: 0.002 },
    { name: 'Status page', url: 'https://status.acme.example/', method: 'GET', intervalSeconds: 300, regions: ['us-east-1'], expectedStatus: 200, ms: 120, flakiness: 0.0005 },
  ],
  // prettier-ignore
  users: [
    { name: 'Maya Lindqvist', login: 'maya.lindqvist', status: 'active', mfa: true, roles: ['Owner'], timezone: 'Europe/Stockholm', locale: 'en-GB' },
    { name: 'Tomás Herrera', login: 'tomas.herrera', status: 'active', mfa: true, roles: ['Admin'], timezone: 'Europe/Madrid', locale: 'es-ES' },
    { name: 'Priya Raman', login: 'priya.raman', status: 'active', mfa: true, roles: ['On-call engineer', 'Editor'], timezone: 'Europe/London', locale: 'en-GB' },
    { name: 'Jonas Weber', login: 'jonas.weber', status: 'active', mfa: false, roles: ['Editor'], timezone: 'Europe/Berlin', locale: 'de-DE' },
    { name: 'Aiko Tanaka', login: 'aiko.tanaka', status: 'active', mfa: true, roles: ['On-call engineer'], timezone: 'Europe/Dublin', locale: 'en-IE' },
    { name: 'Lucas Moreau', login: 'lucas.moreau', status: 'active', mfa: true, roles: ['Editor'], timezone: 'Europe/Paris', locale: 'fr-FR' },
    { name: 'Fatima Okafor', login: 'fatima.okafor', status: 'active', mfa: false, roles: ['Viewer'], timezone: 'Europe/London', locale: 'en-GB' },
    { name: 'Daniel Novak', login: 'daniel.novak', status: 'active', mfa: true, roles: ['Billing admin'], timezone: 'Europe/Prague', locale: 'cs-CZ' },
    { name: 'Sofia Rossi', login: 'sofia.rossi', status: 'invited', mfa: false, roles: ['Viewer'], timezone: 'Europe/Rome', locale: 'it-IT' },
    { name: 'Ethan Brooks', login: 'ethan.brooks', status: 'suspended', mfa: false, roles: ['Editor'], timezone: 'Europe/London', locale: 'en-GB' },
    { name: 'CI deploy bot', login: 'ci-bot', status: 'active', mfa: false, roles: ['Editor'], timezone: 'UTC', locale: 'en-US' },
  ],
};

const FLEET_PG = { protocol: 'postgresql', kind: 'CLIENT' } as const;
const MONGO = { protocol: 'mongodb', kind: 'CLIENT' } as const;
const AMQP = { protocol: 'amqp', kind: 'PRODUCER' } as const;

const fleetApi = (op: string, child: RouteNode): RouteNode => ({
  service: 'fleet-api',
  op,
  ms: 3,
  children: [child],
});

/** The second organization: a logistics company, with services of its own. */
export const SECOND_PROFILE: OrgProfile = {
  key: 'second',
  name: 'Globex Logistics',
  slug: 'globex-logistics',
  plan: 'business',
  region: 'us-east-1',
  domain: 'globex.example',
  utcOffsetHours: -5,
  traceShare: 0.4,
  workspaces: [
    { slug: 'operations', name: 'Operations', description: 'Fleet, tracking and warehouses' },
    { slug: 'sandbox', name: 'Sandbox', description: 'Experiments and partner integrations' },
  ],
  tenants: [
    { slug: 'fleet', name: 'Fleet', workspace: 'operations', region: 'us-east-1' },
    { slug: 'logistics-core', name: 'Logistics core', workspace: 'operations', region: 'us-east-1' },
    { slug: 'sandbox-default', name: 'Sandbox', workspace: 'sandbox', region: 'us-central1' },
  ],
  platformTenant: 'logistics-core',
  cloud: 'gcp',
  // prettier-ignore
  services: [
    { name: 'fleet-api', kind: 'gateway', language: 'go', version: 'v2.4.0', tenant: 'fleet', runtime: 'kubernetes', namespace: 'fleet', cpu: [12, 38], memoryPercent: 33, memoryLimitGiB: 1, peakRps: 350, errorRate: 0.001, replicas: 3 },
    { name: 'shipment-tracker', kind: 'service', language: 'java', version: 'v5.1.3', tenant: 'logistics-core', runtime: 'kubernetes', namespace: 'logistics', cpu: [15, 37], memoryPercent: 59, memoryLimitGiB: 4, peakRps: 140, errorRate: 0.002, replicas: 3, jvm: true },
    { name: 'route-optimizer', kind: 'service', language: 'python', version: 'v0.18.2', tenant: 'fleet', runtime: 'kubernetes', namespace: 'fleet', cpu: [30, 68], memoryPercent: 72, memoryLimitGiB: 8, peakRps: 12, errorRate: 0.004, replicas: 2 },
    { name: 'driver-app-backend', kind: 'service', language: 'typescript', version: 'v3.0.9', tenant: 'fleet', runtime: 'kubernetes', namespace: 'fleet', cpu: [10, 30], memoryPercent: 44, memoryLimitGiB: 2, peakRps: 90, errorRate: 0.002, replicas: 2 },
    { name: 'warehouse-service', kind: 'service', language: 'java', version: 'v1.22.0', tenant: 'logistics-core', runtime: 'kubernetes', namespace: 'logistics', cpu: [12, 31], memoryPercent: 57, memoryLimitGiB: 4, peakRps: 70, errorRate: 0.002, replicas: 2, jvm: true },
    { name: 'billing-service', kind: 'worker', language: 'kotlin', version: 'v2.0.4', tenant: 'logistics-core', runtime: 'kubernetes', namespace: 'logistics', cpu: [6, 22], memoryPercent: 48, memoryLimitGiB: 2, peakRps: 8, errorRate: 0.003, replicas: 1, jvm: true },
    { name: 'telemetry-ingest', kind: 'service', language: 'rust', version: 'v1.9.1', tenant: 'fleet', runtime: 'kubernetes', namespace: 'fleet', cpu: [14, 46], memoryPercent: 29, memoryLimitGiB: 1, peakRps: 1800, errorRate: 0.0008, replicas: 3 },
    { name: 'geo-service', kind: 'service', language: 'go', version: 'v1.4.6', tenant: 'fleet', runtime: 'kubernetes', namespace: 'fleet', cpu: [11, 34], memoryPercent: 40, memoryLimitGiB: 2, peakRps: 160, errorRate: 0.002, replicas: 2 },
    { name: 'fleet-postgres', kind: 'database', language: 'sql', version: '15.8', tenant: 'logistics-core', runtime: 'vm', host: 'fleet-db-01', cpu: [18, 44], memoryPercent: 61, memoryLimitGiB: 16, peakRps: 650, errorRate: 0.0005, replicas: 1, engine: 'postgresql' },
    { name: 'events-mongodb', kind: 'database', language: 'js', version: '7.0.12', tenant: 'fleet', runtime: 'managed', cpu: [16, 41], memoryPercent: 54, memoryLimitGiB: 16, peakRps: 1400, errorRate: 0.0004, replicas: 3, engine: 'mongodb-atlas' },
    { name: 'rabbitmq', kind: 'queue', language: 'erlang', version: '3.13.6', tenant: 'logistics-core', runtime: 'vm', host: 'rabbitmq-01', cpu: [8, 24], memoryPercent: 47, memoryLimitGiB: 8, peakRps: 600, errorRate: 0.0002, replicas: 1 },
  ],
  routes: [
    {
      weight: 25,
      root: fleetApi('GET /v1/shipments/{id}', {
        service: 'shipment-tracker',
        op: 'GET /shipments/{id}',
        ms: 15,
        children: [
          { service: 'fleet-postgres', op: 'SELECT shipments', ms: 4, ...FLEET_PG },
          { service: 'geo-service', op: 'GET /eta', protocol: 'grpc', ms: 12 },
        ],
      }),
    },
    {
      weight: 6,
      root: fleetApi('POST /v1/routes/optimize', {
        service: 'route-optimizer',
        op: 'POST /optimize',
        ms: 250,
        children: [
          { service: 'geo-service', op: 'GET /distance-matrix', protocol: 'grpc', ms: 40 },
          { service: 'fleet-postgres', op: 'SELECT vehicles', ms: 5, ...FLEET_PG },
        ],
      }),
    },
    {
      weight: 30,
      root: fleetApi('POST /v1/telemetry', {
        service: 'telemetry-ingest',
        op: 'POST /ingest',
        ms: 3,
        parallel: true,
        children: [
          { service: 'events-mongodb', op: 'insert vehicle_events', ms: 2, ...MONGO },
          { service: 'rabbitmq', op: 'telemetry.raw publish', ms: 1, ...AMQP },
        ],
      }),
    },
    {
      weight: 15,
      root: fleetApi('GET /v1/driver/tasks', {
        service: 'driver-app-backend',
        op: 'GET /tasks',
        ms: 10,
        children: [
          { service: 'fleet-postgres', op: 'SELECT tasks', ms: 4, ...FLEET_PG },
          {
            service: 'shipment-tracker',
            op: 'GET /shipments',
            ms: 12,
            children: [{ service: 'fleet-postgres', op: 'SELECT shipments', ms: 5, ...FLEET_PG }],
          },
        ],
      }),
    },
    {
      weight: 12,
      root: fleetApi('POST /v1/warehouse/scan', {
        service: 'warehouse-service',
        op: 'POST /scan',
        ms: 18,
        children: [
          { service: 'fleet-postgres', op: 'UPDATE stock', ms: 5, ...FLEET_PG },
          { service: 'rabbitmq', op: 'warehouse.scans publish', ms: 1, ...AMQP },
        ],
      }),
    },
    {
      weight: 4,
      root: {
        service: 'billing-service',
        op: 'invoice.generate',
        kind: 'CONSUMER',
        protocol: 'amqp',
        ms: 80,
        children: [
          { service: 'fleet-postgres', op: 'SELECT shipments', ms: 20, ...FLEET_PG },
          { service: 'events-mongodb', op: 'find vehicle_events', ms: 6, ...MONGO },
        ],
      },
    },
  ],
  // prettier-ignore
  vms: [
    { name: 'fleet-db-01', role: 'database', service: 'fleet-postgres', cpus: 8, memoryGiB: 16, diskGiB: 1000, os: 'Debian 12', zone: 'us-east1-b', ip: '10.40.1.10', cpu: [18, 44] },
    { name: 'rabbitmq-01', role: 'queue', service: 'rabbitmq', cpus: 4, memoryGiB: 8, diskGiB: 200, os: 'Debian 12', zone: 'us-east1-b', ip: '10.40.1.20', cpu: [8, 24] },
    { name: 'etl-worker-01', role: 'batch', cpus: 8, memoryGiB: 32, diskGiB: 500, os: 'Debian 12', zone: 'us-east1-c', ip: '10.40.2.15', cpu: [5, 70] },
  ],
  clusters: [
    {
      name: 'globex-fleet-us',
      provider: 'gke',
      region: 'us-east1',
      version: 'v1.29.8',
      nodes: 4,
      nodeCpus: 8,
      nodeMemoryGiB: 32,
      zone: 'us-east1',
      nodeIpBase: '10.40.10.',
    },
  ],
  // prettier-ignore
  databases: [
    { name: 'fleet-postgres', engine: 'postgresql', version: '15.8', host: 'fleet-db-01', port: 5432, environment: 'production', cloud: 'gcp', service: 'fleet-postgres', team: 'fleet', connections: [90, 400], qps: 650 },
    { name: 'events-mongodb', engine: 'mongodb-atlas', version: '7.0.12', host: 'events.globex.mongodb.example', port: 27017, environment: 'production', cloud: 'gcp', service: 'events-mongodb', team: 'fleet', connections: [140, 1500], qps: 1400 },
    { name: 'billing-aurora', engine: 'aurora', version: '3.07.1', host: 'billing.cluster-abc.us-east-1.rds.example', port: 3306, environment: 'production', cloud: 'aws', team: 'finance', connections: [45, 1000], qps: 220 },
    { name: 'partners-rds-mysql', engine: 'aws-rds-mysql', version: '8.0.36', host: 'partners.c9x.us-east-1.rds.example', port: 3306, environment: 'production', cloud: 'aws', team: 'integrations', connections: [30, 300], qps: 140 },
    { name: 'reporting-rds-aurora', engine: 'aws-rds-aurora', version: '15.4', host: 'reporting.cluster-def.us-east-1.rds.example', port: 5432, environment: 'production', cloud: 'aws', team: 'data', connections: [20, 500], qps: 80 },
    { name: 'ledger-cockroachdb', engine: 'cockroachdb', version: 'v24.1.4', host: 'crdb-ledger.globex.internal', port: 26257, environment: 'production', cloud: 'gcp', team: 'finance', connections: [50, 800], qps: 310 },
    { name: 'edge-cache-sqlite3', engine: 'sqlite3', version: '3.46.0', host: 'driver-app-backend', port: 0, environment: 'production', cloud: 'gcp', team: 'fleet', connections: [1, 1], qps: 40 },
    { name: 'legacy-mongodb', engine: 'mongodb-community', version: '6.0.16', host: 'mongo-legacy-01', port: 27017, environment: 'staging', cloud: 'gcp', team: 'integrations', connections: [12, 300], qps: 25 },
  ],
  // prettier-ignore
  monitors: [
    { name: 'Tracking portal', url: 'https://track.globex.example/', method: 'GET', intervalSeconds: 60, regions: ['us-east-1', 'eu-west-1'], expectedStatus: 200, service: 'shipment-tracker', ms: 160, flakiness: 0.001 },
    { name: 'Fleet API health', url: 'https://api.globex.example/v1/health', method: 'GET', intervalSeconds: 60, regions: ['us-east-1', 'us-central1'], expectedStatus: 200, service: 'fleet-api', ms: 70, flakiness: 0.001 },
    { name: 'Driver app API', url: 'https://driver.globex.example/api/ping', method: 'GET', intervalSeconds: 120, regions: ['us-east-1'], expectedStatus: 200, service: 'driver-app-backend', ms: 95, flakiness: 0.002 },
    { name: 'Partner webhooks', url: 'https://hooks.globex.example/partners/inbound', method: 'POST', intervalSeconds: 300, regions: ['us-east-1'], expectedStatus: 202, ms: 240, flakiness: 0.03 },
  ],
  // prettier-ignore
  users: [
    { name: 'Grace Whitfield', login: 'grace.whitfield', status: 'active', mfa: true, roles: ['Owner'], timezone: 'America/New_York', locale: 'en-US' },
    { name: 'Marcus Chen', login: 'marcus.chen', status: 'active', mfa: true, roles: ['Admin'], timezone: 'America/Chicago', locale: 'en-US' },
    { name: 'Olivia Santos', login: 'olivia.santos', status: 'active', mfa: false, roles: ['On-call engineer'], timezone: 'America/New_York', locale: 'pt-BR' },
    { name: 'Noah Fischer', login: 'noah.fischer', status: 'active', mfa: true, roles: ['Editor'], timezone: 'America/Denver', locale: 'en-US' },
    { name: 'Amara Diallo', login: 'amara.diallo', status: 'active', mfa: false, roles: ['Viewer'], timezone: 'America/New_York', locale: 'fr-FR' },
    { name: 'Ravi Kapoor', login: 'ravi.kapoor', status: 'invited', mfa: false, roles: ['Billing admin'], timezone: 'America/Los_Angeles', locale: 'en-US' },
    { name: 'Deploy pipeline', login: 'deploy-bot', status: 'active', mfa: false, roles: ['Editor'], timezone: 'UTC', locale: 'en-US' },
  ],
};

/** The organization profiles, primary first. */
export const ORG_PROFILES: readonly OrgProfile[] = [PRIMARY_PROFILE, SECOND_PROFILE];
