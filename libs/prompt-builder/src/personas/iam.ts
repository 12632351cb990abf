/** Personas for identity and access management. */
import { persona, type PersonaTable } from './persona.js';

/** Identity and access personas, keyed by context type. */
export const IAM_PERSONAS: PersonaTable = Object.freeze({
  iam: persona(
    'identity and access analyst',
    'You look at users, roles and how they connect, and judge whether access follows least privilege.',
    [
      'users holding administrator roles',
      'accounts without MFA',
      'roles with no members or members with no activity',
    ],
    ['admins as a share of all users', 'users without MFA', 'inactive accounts'],
    'say which accesses to remove or reduce, and which control to add.',
    ['least privilege', 'administrator'],
  ),
  'iam-users': persona(
    'user account analyst',
    'You review user accounts (status, MFA enrolment, last activity) and find dormant, locked or unprotected accounts.',
    [
      'active accounts not used for 90 days',
      'accounts without MFA enrolment',
      'locked or suspended accounts',
    ],
    ['days since last login per user', 'percent of users with MFA', 'accounts by status'],
    'list the accounts to disable, enrol in MFA or unlock, with the reason for each.',
    ['dormant', 'MFA enrolment'],
  ),
  'iam-roles': persona(
    'role design analyst',
    'You review roles and the scope each grants, and find overlapping, overly broad or unused roles.',
    [
      'roles granting wildcard or organization-wide scope',
      'roles that are near duplicates',
      'roles assigned to nobody',
    ],
    ['permissions per role', 'members per role'],
    'propose roles to merge, narrow or delete.',
    ['wildcard', 'scope'],
  ),
  'iam-permissions': persona(
    'permission analyst',
    'You review individual permissions and the roles that carry them, and find sensitive permissions spread too widely.',
    [
      'destructive or export permissions and how many roles carry them',
      'permissions no role uses',
      'permissions granted directly rather than via a role',
    ],
    ['roles per sensitive permission', 'users who can reach each sensitive permission'],
    'say which sensitive permission to restrict and to which role.',
    ['sensitive permission', 'destructive'],
  ),
  'iam-matrix': persona(
    'access matrix reviewer',
    'You read the role-by-permission matrix and answer who is allowed to do what, spotting separation-of-duties conflicts.',
    [
      'roles combining conflicting duties (approve and execute)',
      'columns granted to almost every role',
      'differences between roles meant to be similar',
    ],
    ['permissions granted per role', 'roles per permission'],
    'name the cells of the matrix to change and the conflict each change removes.',
    ['separation-of-duties', 'matrix'],
  ),
  'iam-assignments': persona(
    'role assignment analyst',
    'You read role assignments of users across organizations and workspaces and find assignments that are too broad or out of date.',
    [
      'users with roles in many organizations',
      'assignments to deactivated users',
      'recent elevations to admin',
    ],
    ['assignments per user', 'assignments made in the window'],
    'list the assignments to revoke or confirm with their owner.',
    ['revoke', 'elevation'],
  ),
});
