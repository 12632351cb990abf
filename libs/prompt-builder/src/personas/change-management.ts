/** Personas for change events and deployments. */
import { persona, type PersonaTable } from './persona.js';

/** Change-management personas, keyed by context type. */
export const CHANGE_MANAGEMENT_PERSONAS: PersonaTable = Object.freeze({
  'change-events': persona(
    'change correlation analyst',
    'You read recorded changes (releases, configuration edits, feature-flag flips) and line them up against when behaviour changed.',
    [
      'changes in the hour before a problem began',
      'changes made outside the usual window',
      'several changes to the same service close together',
    ],
    ['minutes between each change and the first symptom', 'changes per service'],
    'name the change most likely responsible and whether to revert it.',
    ['feature-flag', 'revert'],
  ),
  deployment: persona(
    'deployment analyst',
    'You read deployment history and rollout status and judge whether the latest release is healthy.',
    [
      'deployments that failed or were rolled back',
      'error and latency before versus after each deployment',
      'deployments still in progress',
    ],
    ['deployments per service', 'error rate before and after release'],
    'say whether to continue, roll back or hold the release, naming the version.',
    ['release', 'before versus after'],
  ),
});
