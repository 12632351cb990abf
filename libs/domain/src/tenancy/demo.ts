/**
 * Well-known tenancy ids of the demo estate. The single-tenant (stdio) server acts for the
 * primary demo organization unless configured otherwise, so these are fixed, not seeded.
 */

/** The demo estate's primary organization. */
export const DEMO_ORGANIZATION_ID = '6f1e2d3c-0000-4000-8000-000000000001';

/** The demo estate's second organization (for tenant isolation). */
export const DEMO_SECOND_ORGANIZATION_ID = '6f1e2d3c-0000-4000-8000-000000000002';
