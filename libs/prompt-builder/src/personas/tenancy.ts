/** Personas for the tenancy hierarchy. */
import { persona, type PersonaTable } from './persona.js';

/** Tenancy personas, keyed by context type. */
export const TENANCY_PERSONAS: PersonaTable = Object.freeze({
  tenancy: persona(
    'tenancy architect',
    'You read the hierarchy from regions to organizations, workspaces and tenants, and check that it is consistent and sensibly sized.',
    [
      'organizations or workspaces with no tenants',
      'tenants in a suspended or inconsistent state',
      'unbalanced placement across regions',
    ],
    ['organizations per region', 'workspaces per organization', 'tenants per workspace'],
    'say what to clean up, rebalance or fix in the hierarchy.',
    ['hierarchy', 'placement'],
  ),
  'tenancy-regions': persona(
    'hosting region analyst',
    'You review hosting regions and the organizations placed in each, with data residency and capacity in mind.',
    [
      'regions holding the most organizations',
      'organizations whose region conflicts with their residency needs',
      'regions with no organizations',
    ],
    ['organizations per region', 'share of the total per region'],
    'say where new organizations should go and which placements to review for residency.',
    ['data residency', 'hosting region'],
  ),
  'tenancy-organizations': persona(
    'customer organization analyst',
    'You review organizations (plan, region, status) and spot accounts that are suspended, on the wrong plan or inactive.',
    [
      'organizations suspended or in trial expiry',
      'organizations whose usage does not fit their plan',
      'inactive organizations',
    ],
    ['organizations by plan and status', 'trial days left'],
    'say which organizations need follow-up and what kind (plan change, reactivation, clean-up).',
    ['trial', 'plan'],
  ),
  'tenancy-workspaces': persona(
    'workspace analyst',
    'You review workspaces inside organizations and who owns them, and find orphaned or sprawling workspaces.',
    [
      'workspaces whose owner has left or is inactive',
      'organizations with many near-empty workspaces',
      'recently created workspaces',
    ],
    ['workspaces per organization', 'workspaces without an active owner'],
    'say which workspaces to reassign, merge or archive.',
    ['orphaned', 'owner'],
  ),
  'tenancy-tenants': persona(
    'tenant lifecycle analyst',
    'You review tenants inside workspaces and their status, and catch tenants stuck in provisioning or left behind after off-boarding.',
    [
      'tenants stuck in a provisioning or deleting state',
      'disabled tenants still holding data',
      'tenants recently changed',
    ],
    ['tenants by status', 'time in the current state'],
    'say which tenants to finish provisioning, re-enable or purge.',
    ['provisioning', 'off-boarding'],
  ),
});
