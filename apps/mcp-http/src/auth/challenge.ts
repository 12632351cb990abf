/**
 * The answers of the identity layer that are about the protected resource rather than one
 * credential: `WWW-Authenticate` challenges (RFC 6750 with the RFC 9728 `resource_metadata`
 * parameter), refusals ready to send, and the protected-resource metadata document.
 *
 * Invariants:
 * - Every 401 and 403 names the metadata URL, so an MCP client can discover the
 *   authorization servers from any refusal.
 * - A refusal of a request that presented no credential carries no `error` parameter in the
 *   header (RFC 6750 §3.1); one that presented a credential carries `error` and
 *   `error_description`.
 * - Header parameter values hold only the characters RFC 6750 allows in them (printable
 *   ASCII without `"` and `\`); anything else is replaced, so a description can never break
 *   the header. Descriptions never quote a credential (callers make sure of it).
 */
import { ALL_SCOPES, TOOL_SCOPES } from '@tfo/mcp-tools';
import type { Refused } from './types.js';

/** Name of the resource in its metadata. */
export const RESOURCE_NAME = 'TelemetryFlow MCP';

/** Path of the MCP endpoint, appended to the public URL to form the resource identifier. */
export const MCP_PATH = '/mcp';

/** Path of the protected-resource metadata of the MCP endpoint (RFC 9728 §3.1 path suffix). */
export const RESOURCE_METADATA_PATH = `/.well-known/oauth-protected-resource${MCP_PATH}`;

/** Keeps only characters RFC 6750 allows in a quoted parameter value. */
function headerSafe(text: string): string {
  return text.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, ' ').slice(0, 300);
}

/** Builds challenges and refusals for one protected resource. */
export class Challenges {
  /** The resource identifier: the public URL plus `/mcp`. */
  readonly resource: string;
  /** Where the protected-resource metadata is served. */
  readonly metadataUrl: string;

  /** `publicUrl` is where clients reach the server (a trailing slash is ignored). */
  constructor(
    publicUrl: string,
    private readonly issuers: readonly string[],
  ) {
    const base = publicUrl.replace(/\/+$/, '');
    this.resource = base + MCP_PATH;
    this.metadataUrl = base + RESOURCE_METADATA_PATH;
  }

  /** 401 for a request without a credential. */
  missing(description: string): Refused {
    return {
      ok: false,
      status: 401,
      wwwAuthenticate: this.header({}),
      error: 'invalid_request',
      description,
    };
  }

  /** 401 for a credential that is malformed, unknown, revoked, expired or otherwise not accepted. */
  invalid(error: 'invalid_token' | 'invalid_request', description: string): Refused {
    return {
      ok: false,
      status: 401,
      wwwAuthenticate: this.header({ error, error_description: description }),
      error,
      description,
    };
  }

  /** 403 for a valid credential that may not do what it asked (`scope`, when one scope would do). */
  forbidden(description: string, scope?: string): Refused {
    return {
      ok: false,
      status: 403,
      wwwAuthenticate: this.header({
        error: 'insufficient_scope',
        ...(scope === undefined ? {} : { scope }),
        error_description: description,
      }),
      error: 'insufficient_scope',
      description,
    };
  }

  /** RFC 9728 protected-resource metadata of the MCP endpoint. */
  metadata(): Record<string, unknown> {
    return {
      resource: this.resource,
      ...(this.issuers.length > 0 ? { authorization_servers: [...this.issuers] } : {}),
      scopes_supported: [...TOOL_SCOPES, ALL_SCOPES],
      bearer_methods_supported: ['header'],
      resource_name: RESOURCE_NAME,
    };
  }

  private header(params: Record<string, string>): string {
    const parts = [`resource_metadata="${headerSafe(this.metadataUrl)}"`];
    for (const [name, value] of Object.entries(params)) parts.push(`${name}="${headerSafe(value)}"`);
    return `Bearer ${parts.join(', ')}`;
  }
}
