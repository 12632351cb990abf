/**
 * Arguments shared by the context tools: the context type (parsed by the domain, so an
 * unknown key is refused with near matches), an optional context id, and the window, read
 * the way the telemetry tools read theirs.
 */
import { CONTEXT_TYPES, parseContextType, ValidationError, type ContextType } from '@tfo/domain';
import { z } from 'zod';
import type { ToolCallContext } from '../definitions.js';
import { windowArgument } from '../telemetry/arguments.js';
import { resolveWindow } from '../telemetry/window.js';

/** `context_type`: one of the 138 keys. */
export const contextTypeArgument = z
  .string({ error: 'context_type must be a context type such as "metrics" or "kubernetes-pods"' })
  .trim()
  .min(1, { error: 'context_type must not be empty: list_context_types lists the 138 types' })
  .max(64, { error: 'context_type must be at most 64 characters' })
  .describe(
    `One of the ${CONTEXT_TYPES.length} context types (list_context_types lists them), e.g. "metrics", "logs", "kubernetes-pods"`,
  );

/** `context_id`: narrows the context to one service, metric or resource. */
export const contextIdArgument = z
  .string({ error: 'context_id must be text, e.g. a service name' })
  .trim()
  .max(512, { error: 'context_id must be at most 512 characters' })
  .optional()
  .describe('Narrows the context: a service, metric, pod or resource name; for "custom", the question');

/** `window`: how far back from now. */
export const contextWindowArgument = windowArgument('1h');

/** The context type, or a ValidationError naming near matches. */
export function contextTypeOf(value: string): ContextType {
  return parseContextType(value);
}

/** The caller's organization, or a refusal the model can act on. */
export function organizationOf(ctx: ToolCallContext): string {
  if (ctx.organizationId === undefined || ctx.organizationId === '') {
    throw new ValidationError(
      'No organization is known for this session, so no telemetry can be read. On stdio set tenancy.organizationId; over HTTP use credentials scoped to an organization.',
      { code: 'TENANCY.NO_ORGANIZATION' },
    );
  }
  return ctx.organizationId;
}

/** The period ending at `now` for a window text (default one hour). */
export function timeRangeOf(window: string | undefined, now: Date): { from: Date; to: Date } {
  const resolved = resolveWindow(window === undefined ? {} : { window }, '1h');
  return { from: new Date(now.getTime() - resolved.ms), to: now };
}
