/**
 * Hiding secrets in configuration and in text shown to people or models.
 *
 * A key is secret when its dotted path is listed in the spec's secret paths or its
 * name matches `key|token|secret|password` (any string value), or ends in `url`
 * (connection strings). Secret values become `[REDACTED]`; for URL keys only the
 * credentials inside the URL are hidden (`postgres://app:[REDACTED]@db:5432/tfo`) so
 * the host stays visible for troubleshooting. Unset or empty values stay as they are:
 * "not configured" is useful to see and reveals nothing.
 */
import { REDACTED, SECRET_KEY_PATTERN } from './config-keys.js';
import { SECRET_CONFIG_PATHS } from './schema.js';

// `scheme://userinfo@`; greedy up to the last `@` of the authority, since passwords
// are sometimes written with a raw `@`.
const URL_USERINFO = /([a-z][a-z0-9+.-]*:\/\/)([^\s/?#]+)@/gi;
// `?token=…`, `&api_key=…`, `&password=…` in a query string.
const SECRET_QUERY_PARAM =
  /([?&][^=&#\s]*(?:key|token|secret|password|passwd|pwd|signature)[^=&#\s]*=)[^&#\s]+/gi;
const URL_SUFFIX = /url$/i;

/**
 * Hides credentials in every URL inside `text`: the password of `user:password@`
 * (or the whole user part when there is no password, as in `https://TOKEN@host`) and
 * the values of secret-looking query parameters.
 */
export function redactUrlCredentials(text: string): string {
  if (!text.includes('://') && !text.includes('=')) return text;
  return text
    .replace(URL_USERINFO, (_match, scheme: string, userinfo: string) => {
      const colon = userinfo.indexOf(':');
      return colon >= 0 ? `${scheme}${userinfo.slice(0, colon)}:${REDACTED}@` : `${scheme}${REDACTED}@`;
    })
    .replace(SECRET_QUERY_PARAM, `$1${REDACTED}`);
}

/**
 * Replaces every occurrence of each secret in `text` (and its URL-encoded form) with
 * `[REDACTED]`, then hides credentials in any URL. Use it on error messages that may
 * quote a configuration value or a driver's connection string.
 */
export function redactText(text: string, secrets: readonly string[]): string {
  const needles = new Set<string>();
  for (const secret of secrets) {
    if (!secret) continue;
    needles.add(secret);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) needles.add(encoded);
  }
  // Longest first, so a secret that contains another is replaced whole.
  let result = text;
  for (const needle of [...needles].sort((a, b) => b.length - a.length)) {
    result = result.split(needle).join(REDACTED);
  }
  return redactUrlCredentials(result);
}

type SecretMode = 'full' | 'url-credentials';

function secretMode(
  path: string,
  key: string,
  value: unknown,
  secretPaths: ReadonlySet<string>,
): SecretMode | undefined {
  if (secretPaths.has(path)) return 'full';
  if (typeof value !== 'string' || !SECRET_KEY_PATTERN.test(key)) return undefined;
  // `apiKeyUrl` is secret for its name, not only for being a URL.
  return SECRET_KEY_PATTERN.test(key.replace(URL_SUFFIX, '')) ? 'full' : 'url-credentials';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function isUnset(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/**
 * Walks plain objects and arrays; `visit` sees each leaf with its dotted path (array
 * elements share their array's path) and the name of the key that holds it.
 */
function mapLeaves(
  value: unknown,
  path: string,
  key: string,
  visit: (leaf: unknown, path: string, key: string) => unknown,
): unknown {
  if (Array.isArray(value)) return value.map((item) => mapLeaves(item, path, key, visit));
  if (isPlainObject(value)) {
    const copy: Record<string, unknown> = {};
    for (const [childKey, child] of Object.entries(value)) {
      copy[childKey] = mapLeaves(child, path ? `${path}.${childKey}` : childKey, childKey, visit);
    }
    return copy;
  }
  return visit(value, path, key);
}

/**
 * A deep copy of `config` with every secret value replaced by `[REDACTED]` (for URL
 * keys, only the credentials inside the URL). Safe to show in `config://server`, the
 * `info` command and logs.
 *
 * @param secretPaths dotted paths that are secret regardless of their names; defaults
 *   to the server configuration's list.
 */
export function redactConfig<T>(config: T, secretPaths: ReadonlySet<string> = SECRET_CONFIG_PATHS): T {
  return mapLeaves(config, '', '', (leaf, path, key) => {
    if (isUnset(leaf)) return leaf;
    const mode = secretMode(path, key, leaf, secretPaths);
    if (mode === 'full') return REDACTED;
    if (mode === 'url-credentials') return redactUrlCredentials(leaf as string);
    return leaf;
  }) as T;
}

/**
 * The secret strings held in `config` (whole values, and the credentials inside URL
 * values), for {@link redactText}. An app collects them once after loading.
 */
export function secretValues(
  config: unknown,
  secretPaths: ReadonlySet<string> = SECRET_CONFIG_PATHS,
): string[] {
  const found = new Set<string>();
  mapLeaves(config, '', '', (leaf, path, key) => {
    if (isUnset(leaf)) return leaf;
    const mode = secretMode(path, key, leaf, secretPaths);
    if (mode === 'full') {
      found.add(typeof leaf === 'string' ? leaf : JSON.stringify(leaf));
    } else if (mode === 'url-credentials') {
      for (const credential of urlCredentials(leaf as string)) found.add(credential);
    }
    return leaf;
  });
  return [...found];
}

function urlCredentials(text: string): string[] {
  const credentials: string[] = [];
  for (const match of text.matchAll(URL_USERINFO)) {
    const userinfo = match[2] ?? '';
    const colon = userinfo.indexOf(':');
    const secret = colon >= 0 ? userinfo.slice(colon + 1) : userinfo;
    if (secret) credentials.push(secret, safeDecode(secret));
  }
  for (const match of text.matchAll(SECRET_QUERY_PARAM)) {
    const value = match[0].slice(match[1]?.length ?? 0);
    if (value) credentials.push(value, safeDecode(value));
  }
  return credentials;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
