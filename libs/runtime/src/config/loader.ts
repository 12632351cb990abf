/**
 * Loads the configuration once, at start-up: environment over YAML file over defaults.
 *
 * The library never looks at the process: the app passes the environment, working
 * directory and home directory in. Every problem found (unknown keys, bad values, a
 * broken file) is collected and reported together in one `ConfigurationError`, one
 * line per problem, each naming the key the way the user wrote it (environment
 * variable, or YAML path and file), the value (hidden when secret) and what is allowed.
 *
 * Names are derived from the schema (see config-keys.ts): YAML `files.max_read_bytes`,
 * environment `TELEMETRYFLOW_MCP_FILES_MAX_READ_BYTES`, plus the aliases of the spec.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigurationError } from '@tfo/domain';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import {
  REDACTED,
  configKeys,
  describeConfig,
  toScreamingSnake,
  type ConfigKey,
  type ConfigSpec,
} from './config-keys.js';
import { redactText } from './redact.js';
import { SERVER_CONFIG_SPEC, type ServerConfig } from './schema.js';

/** What the app hands the loader; the library reads nothing from the process itself. */
export interface ConfigSources {
  /** The process environment, as given by the app. Only `TELEMETRYFLOW_MCP_*` entries are read. */
  env: Readonly<Record<string, string | undefined>>;
  /** The working directory: where the file search starts and relative paths resolve. */
  cwd: string;
  /** The user's home directory, for `~/.config/tfo-mcp/config.yaml` and `~` in paths. */
  homeDir: string;
  /** A file named with `--config`; when given it must exist and no search happens. */
  configPath?: string;
  /** Reads a file as UTF-8, or returns `undefined` when it does not exist. Defaults to the file system. */
  readFile?: (path: string) => string | undefined;
  /** Separator of path lists in one environment variable. Default `':'` (pass `';'` on Windows). */
  pathDelimiter?: string;
}

/** The loaded configuration and the file it came from, if any. */
export interface LoadedConfig<T = ServerConfig> {
  /** The validated configuration, defaults filled in and paths resolved. */
  config: T;
  /** Absolute path of the YAML file that was read, when one was found. */
  configFile?: string;
}

/** One thing wrong with the configuration, as listed in `ConfigurationError.details.problems`. */
export interface ConfigProblem {
  /** Dotted camelCase key, when the problem is about a known key. */
  key?: string;
  /** Where the offending input came from. */
  source: 'env' | 'file' | 'default';
  /** The readable line for this problem (secret values already hidden). */
  message: string;
}

/**
 * Files searched, in order, when no `configPath` is given: `tfo-mcp.yaml` and
 * `configs/tfo-mcp.yaml` in the working directory, `~/.config/tfo-mcp/config.yaml`,
 * then `/etc/tfo-mcp/config.yaml`.
 */
export function configFileCandidates(cwd: string, homeDir: string): string[] {
  return [
    resolve(cwd, 'tfo-mcp.yaml'),
    resolve(cwd, 'configs', 'tfo-mcp.yaml'),
    join(homeDir, '.config', 'tfo-mcp', 'config.yaml'),
    '/etc/tfo-mcp/config.yaml',
  ];
}

/**
 * Loads and validates the server configuration.
 *
 * @throws ConfigurationError listing every problem found, one per line.
 */
export function loadConfig(sources: ConfigSources): LoadedConfig<ServerConfig> {
  return loadConfigWithSpec(SERVER_CONFIG_SPEC, sources);
}

/** Where a key's value came from, to name it the way the user wrote it. */
type Origin =
  | { source: 'env'; name: string; raw: string; value: unknown }
  | { source: 'file'; file: string; value: unknown };

/**
 * {@link loadConfig} for any spec: the same precedence, naming and error rules.
 * Exposed for tests and for a future second configuration.
 */
export function loadConfigWithSpec<S extends z.ZodObject>(
  spec: ConfigSpec<S>,
  sources: ConfigSources,
): LoadedConfig<z.output<S>> {
  const keys = configKeys(spec);
  const problems: ConfigProblem[] = [];
  const origins = new Map<string, Origin>();

  const file = locateConfigFile(sources);
  if (file) {
    for (const [path, value] of readYamlValues(spec, file.path, file.text, problems)) {
      origins.set(path, { source: 'file', file: file.path, value });
    }
  }
  for (const [path, origin] of readEnvValues(spec, sources, problems)) {
    origins.set(path, origin);
  }

  const input: Record<string, Record<string, unknown>> = {};
  for (const key of keys) {
    const origin = origins.get(key.path);
    if (origin === undefined) continue;
    (input[key.section] ??= {})[key.name] = origin.value;
  }

  const parsed = spec.schema.safeParse(input);
  if (!parsed.success) {
    const byPath = new Map(keys.map((key) => [key.path, key]));
    for (const issue of parsed.error.issues) {
      const key = byPath.get(issue.path.slice(0, 2).map(String).join('.'));
      problems.push(
        key
          ? valueProblem(key, origins.get(key.path), issue)
          : {
              source: 'default',
              message: `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`,
            },
      );
    }
  }

  if (problems.length > 0) {
    throw configurationError(problems, secretInputs(keys, origins), file?.path);
  }

  const config = resolvePathKeys(keys, parsed.data as Record<string, Record<string, unknown>>, sources);
  return file ? { config: config as z.output<S>, configFile: file.path } : { config: config as z.output<S> };
}

// ---------------------------------------------------------------------------------------------
// File

function readFileIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

function expandHome(path: string, homeDir: string): string {
  if (path === '~') return homeDir;
  if (path.startsWith('~/') || path.startsWith('~\\')) return join(homeDir, path.slice(2));
  return path;
}

function locateConfigFile(sources: ConfigSources): { path: string; text: string } | undefined {
  const read = sources.readFile ?? readFileIfExists;
  const tryRead = (path: string): string | undefined => {
    try {
      return read(path);
    } catch (error) {
      throw new ConfigurationError(`Cannot read configuration file ${path}: ${(error as Error).message}`, {
        cause: error,
        details: { configFile: path },
      });
    }
  };

  if (sources.configPath !== undefined) {
    const path = resolve(sources.cwd, expandHome(sources.configPath, sources.homeDir));
    const text = tryRead(path);
    if (text === undefined) {
      throw new ConfigurationError(`Configuration file ${path} does not exist`, {
        details: { configFile: path },
      });
    }
    return { path, text };
  }
  for (const path of configFileCandidates(sources.cwd, sources.homeDir)) {
    const text = tryRead(path);
    if (text !== undefined) return { path, text };
  }
  return undefined;
}

/** Parses the YAML and maps snake_case keys to dotted camelCase paths; problems are appended. */
function readYamlValues(
  spec: ConfigSpec,
  file: string,
  text: string,
  problems: ConfigProblem[],
): Map<string, unknown> {
  const values = new Map<string, unknown>();
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { prettyErrors: false, lineCounter, uniqueKeys: true });
  if (document.errors.length > 0) {
    for (const error of document.errors.slice(0, 5)) {
      const { line, col } = lineCounter.linePos(error.pos[0]);
      problems.push({
        source: 'file',
        message: `${file}:${line}:${col} is not valid YAML: ${error.message}`,
      });
    }
    return values;
  }

  const root: unknown = document.toJS();
  if (root === null || root === undefined) return values;
  const sections = describeConfig(spec);
  const sectionNames = sections.map((section) => section.yamlName);
  if (!isMapping(root)) {
    problems.push({
      source: 'file',
      message: `${file} must hold a mapping of sections (${sectionNames.join(', ')}), not ${kindOf(root)}`,
    });
    return values;
  }

  for (const [yamlSection, sectionValue] of Object.entries(root)) {
    const section = sections.find((candidate) => candidate.yamlName === yamlSection);
    if (!section) {
      problems.push({
        source: 'file',
        message: `Unknown section "${yamlSection}" in ${file}${didYouMean(yamlSection, sectionNames)}; known sections: ${sectionNames.join(', ')}`,
      });
      continue;
    }
    const keyNames = section.keys.map((key) => key.yamlName);
    if (sectionValue === null) continue;
    if (!isMapping(sectionValue)) {
      problems.push({
        source: 'file',
        message: `${yamlSection}=${display(sectionValue)} in ${file} is invalid: expected a mapping with keys ${keyNames.join(', ')}`,
      });
      continue;
    }
    for (const [yamlName, value] of Object.entries(sectionValue)) {
      const key = section.keys.find((candidate) => candidate.yamlName === yamlName);
      if (!key) {
        problems.push({
          source: 'file',
          message: `Unknown key "${yamlSection}.${yamlName}" in ${file}${didYouMean(yamlName, keyNames, `${yamlSection}.`)}; known keys in ${yamlSection}: ${keyNames.join(', ')}`,
        });
        continue;
      }
      // An explicit `key:` with no value means "use the default", as if it were absent.
      if (value === null) continue;
      values.set(key.path, normaliseEnums(key, value));
    }
  }
  return values;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the string ${display(value)}`;
  return `the value ${display(value)}`;
}

// ---------------------------------------------------------------------------------------------
// Environment

function readEnvValues(
  spec: ConfigSpec,
  sources: ConfigSources,
  problems: ConfigProblem[],
): Map<string, Origin> {
  const keys = configKeys(spec);
  const byEnvName = new Map<string, ConfigKey>();
  for (const key of keys) {
    byEnvName.set(key.envVar, key);
    for (const alias of key.envAliases) byEnvName.set(alias, key);
  }
  const delimiter = sources.pathDelimiter ?? ':';
  const origins = new Map<string, Origin>();

  // Our own prefix, plus the vendors' variables the spec lists as aliases (ANTHROPIC_API_KEY, ...).
  const names = Object.keys(sources.env)
    .filter((name) => name.startsWith(spec.envPrefix) || byEnvName.has(name))
    .sort();
  for (const name of names) {
    const raw = sources.env[name];
    if (raw === undefined) continue;
    const key = byEnvName.get(name);
    if (!key) {
      problems.push({ source: 'env', message: unknownEnvMessage(spec, keys, name) });
      continue;
    }
    // An empty variable counts as unset, so `FOO= cmd` does not wipe a file's value.
    if (raw.trim() === '') continue;
    const earlier = origins.get(key.path);
    if (earlier?.source === 'env' && earlier.raw !== raw) {
      const shown = (text: string) => (key.secret ? REDACTED : JSON.stringify(text));
      problems.push({
        key: key.path,
        source: 'env',
        message: `${earlier.name}=${shown(earlier.raw)} and ${name}=${shown(raw)} both set ${key.yamlPath}; set only one`,
      });
      continue;
    }
    origins.set(key.path, { source: 'env', name, raw, value: fromEnvString(key, raw, delimiter) });
  }
  return origins;
}

function unknownEnvMessage(spec: ConfigSpec, keys: readonly ConfigKey[], name: string): string {
  const allNames = keys.flatMap((key) => [key.envVar, ...key.envAliases]);
  // List the variables of the section the name seems to address; all of them otherwise.
  const sectionKeys = keys.filter((key) =>
    name.startsWith(`${spec.envPrefix}${toScreamingSnake(key.section)}_`),
  );
  const listed = (sectionKeys.length > 0 ? sectionKeys : keys).map((key) => key.envVar);
  return `Unknown environment variable ${name}${didYouMean(name, allNames)}; known variables: ${listed.join(', ')}`;
}

const NUMBER_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const TRUE_TEXT = new Set(['true', '1', 'yes']);
const FALSE_TEXT = new Set(['false', '0', 'no']);

/**
 * Turns an environment string into the key's type. Text that does not convert is
 * passed on unchanged, so validation reports the value exactly as it was written.
 */
function fromEnvString(key: ConfigKey, raw: string, pathDelimiter: string): unknown {
  const text = raw.trim();
  switch (key.kind) {
    case 'integer':
    case 'number':
      return NUMBER_TEXT.test(text) ? Number(text) : raw;
    case 'boolean': {
      const lower = text.toLowerCase();
      return TRUE_TEXT.has(lower) ? true : FALSE_TEXT.has(lower) ? false : raw;
    }
    case 'enum':
      return normaliseEnums(key, text);
    case 'string-list': {
      const separator = key.envListSeparator === 'path-delimiter' ? pathDelimiter : ',';
      const items = raw
        .split(separator)
        .map((item) => item.trim())
        .filter((item) => item !== '');
      return normaliseEnums(key, items);
    }
    case 'string':
      return raw;
  }
}

/** Enum values match case-insensitively (`INFO` → `info`), in the file and the environment. */
function normaliseEnums(key: ConfigKey, value: unknown): unknown {
  const options = key.options;
  if (!options) return value;
  const match = (item: unknown) =>
    typeof item === 'string'
      ? (options.find((option) => option.toLowerCase() === item.toLowerCase()) ?? item)
      : item;
  return Array.isArray(value) ? value.map(match) : match(value);
}

// ---------------------------------------------------------------------------------------------
// Problems

function display(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function valueProblem(key: ConfigKey, origin: Origin | undefined, issue: z.core.$ZodIssue): ConfigProblem {
  const index = typeof issue.path[2] === 'number' ? issue.path[2] : undefined;
  // A custom check or a string format (e.g. UUID) carries its own "what is allowed" message.
  const ownMessage = issue.code === 'custom' || issue.code === 'invalid_format';
  const elementExpected = ownMessage
    ? issue.message
    : key.options
      ? `one of ${key.options.join(', ')}`
      : 'a non-empty string';
  const shown = (value: unknown) => (key.secret ? REDACTED : display(value));

  if (origin === undefined) {
    // Only a schema whose own default fails gets here: a bug, reported plainly.
    return {
      key: key.path,
      source: 'default',
      message: `Default of ${key.path} is invalid: ${issue.message}`,
    };
  }
  if (origin.source === 'env') {
    if (index !== undefined && Array.isArray(origin.value)) {
      return {
        key: key.path,
        source: 'env',
        message: `${origin.name}[${index}]=${shown(origin.value[index])} is invalid: expected ${elementExpected}`,
      };
    }
    const expected = ownMessage ? issue.message : key.allowedInEnv;
    return {
      key: key.path,
      source: 'env',
      message: `${origin.name}=${shown(origin.raw)} is invalid: expected ${expected}`,
    };
  }
  if (index !== undefined && Array.isArray(origin.value)) {
    return {
      key: key.path,
      source: 'file',
      message: `${key.yamlPath}[${index}]=${shown(origin.value[index])} in ${origin.file} is invalid: expected ${elementExpected}`,
    };
  }
  const expected = ownMessage ? issue.message : key.allowed;
  return {
    key: key.path,
    source: 'file',
    message: `${key.yamlPath}=${shown(origin.value)} in ${origin.file} is invalid: expected ${expected}`,
  };
}

function secretInputs(keys: readonly ConfigKey[], origins: Map<string, Origin>): string[] {
  const secrets: string[] = [];
  for (const key of keys) {
    const origin = origins.get(key.path);
    if (!key.secret || origin === undefined) continue;
    if (origin.source === 'env') secrets.push(origin.raw);
    const values = Array.isArray(origin.value) ? origin.value : [origin.value];
    for (const value of values) if (typeof value === 'string') secrets.push(value);
  }
  return secrets;
}

function configurationError(
  problems: ConfigProblem[],
  secrets: string[],
  configFile: string | undefined,
): ConfigurationError {
  // One line per distinct problem: zod may raise several issues for the same input.
  const unique = problems.filter(
    (problem, index) => problems.findIndex((other) => other.message === problem.message) === index,
  );
  const safe = unique.map((problem) => ({ ...problem, message: redactText(problem.message, secrets) }));
  const message =
    safe.length === 1
      ? (safe[0]?.message ?? '')
      : `${safe.length} configuration problems:\n${safe.map((problem) => `- ${problem.message}`).join('\n')}`;
  return new ConfigurationError(message, {
    details: { problems: safe, ...(configFile ? { configFile } : {}) },
  });
}

// ---------------------------------------------------------------------------------------------
// Suggestions

/** ` (did you mean "x"?)` for the closest candidate, or an empty string. */
function didYouMean(input: string, candidates: readonly string[], prefix = ''): string {
  const squash = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');
  const exact = candidates.find((candidate) => squash(candidate) === squash(input));
  if (exact) return ` (did you mean "${prefix}${exact}"?)`;
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(input.length / 4)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(input.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best === undefined ? '' : ` (did you mean "${prefix}${best}"?)`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

// ---------------------------------------------------------------------------------------------
// Paths

function resolvePathKeys(
  keys: readonly ConfigKey[],
  config: Record<string, Record<string, unknown>>,
  sources: ConfigSources,
): Record<string, Record<string, unknown>> {
  const toAbsolute = (path: string) => resolve(sources.cwd, expandHome(path, sources.homeDir));
  for (const key of keys) {
    if (!key.isPath) continue;
    const section = config[key.section];
    const value = section?.[key.name];
    if (section === undefined || value === undefined) continue;
    section[key.name] = Array.isArray(value)
      ? value.map((item) => (typeof item === 'string' ? toAbsolute(item) : item))
      : typeof value === 'string' && value !== ''
        ? toAbsolute(value)
        : value;
  }
  return config;
}
