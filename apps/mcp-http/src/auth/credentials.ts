/**
 * Reads the one credential a request presents: `Authorization: Bearer <token>` or
 * `X-API-Key: <key>`. Bearer values that start with `tfo_` are API keys; any other bearer
 * value is taken for an OAuth access token.
 *
 * Invariants:
 * - Two credentials in one request (both headers, or a repeated header) are refused rather
 *   than one of them picked: which one the caller meant is unknowable.
 * - Reasons never quote the header value.
 */
import { API_KEY_PREFIX } from '@tfo/datasources';

/** Headers as Node gives them (lower-case names). */
export type RequestHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** What a request presented. */
export type PresentedCredential =
  | { kind: 'none' }
  | { kind: 'api_key'; key: string; via: 'authorization' | 'x-api-key' }
  | { kind: 'bearer'; token: string }
  | { kind: 'malformed'; reason: string };

/** Longest credential read; longer values are refused unread. */
export const MAX_CREDENTIAL_LENGTH = 8_192;

// RFC 6750 b64token, the syntax of a bearer token.
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

function single(value: string | string[] | undefined, name: string): string | undefined | { reason: string } {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) {
    return value.length === 1 ? value[0] : { reason: `send the ${name} header once` };
  }
  return value;
}

/** The credential `headers` carry; see the module header. */
export function presentedCredential(headers: RequestHeaders): PresentedCredential {
  const authorization = single(headers['authorization'], 'Authorization');
  const apiKey = single(headers['x-api-key'], 'X-API-Key');
  if (typeof authorization === 'object') return { kind: 'malformed', ...authorization };
  if (typeof apiKey === 'object') return { kind: 'malformed', ...apiKey };
  const hasAuthorization = authorization !== undefined && authorization.trim() !== '';
  const hasApiKey = apiKey !== undefined && apiKey.trim() !== '';
  if (hasAuthorization && hasApiKey) {
    return { kind: 'malformed', reason: 'send one credential: either Authorization or X-API-Key, not both' };
  }
  if (hasApiKey) {
    const key = apiKey.trim();
    if (key.length > MAX_CREDENTIAL_LENGTH)
      return { kind: 'malformed', reason: 'the X-API-Key value is too long' };
    return { kind: 'api_key', key, via: 'x-api-key' };
  }
  if (!hasAuthorization) return { kind: 'none' };
  const match = /^(\S+)[ \t]+(\S+)[ \t]*$/.exec(authorization.trim());
  if (!match || match[1]?.toLowerCase() !== 'bearer') {
    return {
      kind: 'malformed',
      reason: 'use the Bearer scheme: "Authorization: Bearer <API key or access token>"',
    };
  }
  const token = match[2] ?? '';
  if (token.length > MAX_CREDENTIAL_LENGTH) {
    return { kind: 'malformed', reason: 'the bearer token is too long' };
  }
  if (!B64TOKEN.test(token)) {
    return { kind: 'malformed', reason: 'the bearer token contains characters a token cannot hold' };
  }
  if (token.startsWith(API_KEY_PREFIX)) return { kind: 'api_key', key: token, via: 'authorization' };
  return { kind: 'bearer', token };
}
