/**
 * Everything the loader, the docs and `init-config` know about a configuration key is
 * read from the zod schema here, once. A key's environment variable, YAML path, kind,
 * allowed values, default and description are derived mechanically, so adding a field
 * (or a whole section) to the schema is the only edit needed to make it loadable,
 * documented and present in the generated YAML.
 *
 * Invariants:
 * - the schema is an object of sections, each section an object of leaf keys;
 * - every key parses from nothing (it has a default or is optional);
 * - no two keys or aliases share an environment variable name.
 * A schema that breaks these is a programming error and throws at first use.
 */
import { posix, win32 } from 'node:path';
import type { z } from 'zod';

/** Prefix of every environment variable the servers read. */
export const ENV_PREFIX = 'TELEMETRYFLOW_MCP_';

/**
 * Key names that hold secrets wherever they appear. `url$` catches connection strings,
 * which may carry `user:password@`; for those only the credentials are hidden.
 */
export const SECRET_KEY_PATTERN = /key|token|secret|password|url$/i;

/** The text that replaces a secret value. */
export const REDACTED = '[REDACTED]';

/** What a configuration schema needs besides its zod object. */
export interface ConfigSpec<S extends z.ZodObject = z.ZodObject> {
  /** Object of sections; each section an object of leaf keys with defaults. */
  readonly schema: S;
  /** Prefix of the environment variables, e.g. `TELEMETRYFLOW_MCP_`. */
  readonly envPrefix: string;
  /** Dotted camelCase paths that are secret even though their names do not say so. */
  readonly secretPaths: ReadonlySet<string>;
  /** Extra environment variable names, each mapped to the dotted path it sets. */
  readonly envAliases: Readonly<Record<string, string>>;
  /**
   * Dotted paths of keys that hold file-system paths: relative values resolve against
   * the working directory, `~` against the home directory, and a list read from the
   * environment is split on the path delimiter instead of commas.
   */
  readonly pathKeys: ReadonlySet<string>;
}

/** The shape of a key's value, as far as loading and documenting it is concerned. */
export type ConfigValueKind = 'string' | 'integer' | 'number' | 'boolean' | 'enum' | 'string-list';

/** One leaf key of the configuration, with everything derived from the schema. */
export interface ConfigKey {
  /** Dotted camelCase path, e.g. `files.maxReadBytes`. */
  readonly path: string;
  /** Section name in camelCase, e.g. `files`. */
  readonly section: string;
  /** Key name in camelCase, e.g. `maxReadBytes`. */
  readonly name: string;
  /** Dotted snake_case path as written in YAML, e.g. `files.max_read_bytes`. */
  readonly yamlPath: string;
  /** Section name as written in YAML. */
  readonly yamlSection: string;
  /** Key name as written in YAML. */
  readonly yamlName: string;
  /** Canonical environment variable, e.g. `TELEMETRYFLOW_MCP_FILES_MAX_READ_BYTES`. */
  readonly envVar: string;
  /** Other environment variables that set the same key. */
  readonly envAliases: readonly string[];
  /** Shape of the value. */
  readonly kind: ConfigValueKind;
  /** Allowed values for an enum key (or the elements of an enum list). */
  readonly options: readonly string[] | undefined;
  /** Human text of what a value must be, e.g. `an integer from 1 to 65535`. */
  readonly allowed: string;
  /** The same for a value read from the environment (booleans and lists read differently there). */
  readonly allowedInEnv: string;
  /** How a list is written in one environment variable. */
  readonly envListSeparator: 'path-delimiter' | 'comma' | undefined;
  /** True when the value is a file-system path (or list of them) resolved against the working directory. */
  readonly isPath: boolean;
  /** The default, as the schema produces it (`undefined` for an optional key). */
  readonly defaultValue: unknown;
  /** The one-line description given with `.describe()` in the schema. */
  readonly description: string;
  /** True when the value must never be shown. */
  readonly secret: boolean;
}

/** One section of the configuration and its keys, in schema order. */
export interface ConfigSection {
  /** Section name in camelCase. */
  readonly name: string;
  /** Section name as written in YAML. */
  readonly yamlName: string;
  /** The section's one-line description. */
  readonly description: string;
  /** Its keys, in schema order. */
  readonly keys: readonly ConfigKey[];
}

/** `maxReadBytes` → `MAX_READ_BYTES`; `baseURL` → `BASE_URL`. */
export function toScreamingSnake(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase();
}

/** `maxReadBytes` → `max_read_bytes`. */
export function toSnakeCase(name: string): string {
  return toScreamingSnake(name).toLowerCase();
}

/**
 * True when the key at `path` (dotted camelCase) is secret: listed in `secretPaths`, or
 * its last segment matches {@link SECRET_KEY_PATTERN}.
 */
export function isSecretPath(path: string, secretPaths: ReadonlySet<string>): boolean {
  if (secretPaths.has(path)) return true;
  const last = path.slice(path.lastIndexOf('.') + 1);
  return SECRET_KEY_PATTERN.test(last);
}

/** True for a string that is an absolute path on POSIX or Windows. */
export function isAbsolutePath(value: string): boolean {
  return posix.isAbsolute(value) || win32.isAbsolute(value);
}

const described = new WeakMap<ConfigSpec, readonly ConfigSection[]>();

/**
 * The sections and keys of `spec`, derived from its schema (memoised per spec).
 * Throws a plain `Error` when the schema breaks the invariants in this module's header.
 */
export function describeConfig(spec: ConfigSpec): readonly ConfigSection[] {
  const cached = described.get(spec);
  if (cached) return cached;

  const parsedDefaults = spec.schema.safeParse({});
  if (!parsedDefaults.success) {
    throw new Error(`Config schema defaults do not validate: ${parsedDefaults.error.message}`);
  }
  const defaults = parsedDefaults.data as Record<string, Record<string, unknown>>;

  const aliasesByPath = new Map<string, string[]>();
  for (const [alias, path] of Object.entries(spec.envAliases)) {
    aliasesByPath.set(path, [...(aliasesByPath.get(path) ?? []), alias]);
  }

  const sections: ConfigSection[] = [];
  for (const [sectionName, sectionSchema] of Object.entries(spec.schema.shape)) {
    const section = peel(sectionSchema as z.ZodType);
    if (section.core.def.type !== 'object') {
      throw new Error(`Config section "${sectionName}" must be a z.object, got ${section.core.def.type}`);
    }
    const keys: ConfigKey[] = [];
    for (const [keyName, keySchema] of Object.entries((section.core as z.ZodObject).shape)) {
      const path = `${sectionName}.${keyName}`;
      keys.push(
        describeKey(spec, {
          sectionName,
          keyName,
          path,
          schema: keySchema as z.ZodType,
          defaultValue: defaults[sectionName]?.[keyName],
          envAliases: aliasesByPath.get(path) ?? [],
        }),
      );
    }
    sections.push({
      name: sectionName,
      yamlName: toSnakeCase(sectionName),
      description: section.description ?? '',
      keys,
    });
  }

  checkSpec(spec, sections);
  described.set(spec, sections);
  return sections;
}

/** All keys of `spec`, flattened in schema order. */
export function configKeys(spec: ConfigSpec): readonly ConfigKey[] {
  return describeConfig(spec).flatMap((section) => section.keys);
}

interface KeyInput {
  sectionName: string;
  keyName: string;
  path: string;
  schema: z.ZodType;
  defaultValue: unknown;
  envAliases: readonly string[];
}

function describeKey(spec: ConfigSpec, input: KeyInput): ConfigKey {
  const { core, description } = peel(input.schema);
  const isPath = spec.pathKeys.has(input.path);
  const shape = classify(core, input.path);
  if (!description) {
    throw new Error(
      `Config key "${input.path}" has no .describe() text; every key needs its one-line comment`,
    );
  }
  const envListSeparator = shape.kind === 'string-list' ? (isPath ? 'path-delimiter' : 'comma') : undefined;
  return {
    path: input.path,
    section: input.sectionName,
    name: input.keyName,
    yamlPath: `${toSnakeCase(input.sectionName)}.${toSnakeCase(input.keyName)}`,
    yamlSection: toSnakeCase(input.sectionName),
    yamlName: toSnakeCase(input.keyName),
    envVar: `${spec.envPrefix}${toScreamingSnake(input.sectionName)}_${toScreamingSnake(input.keyName)}`,
    envAliases: input.envAliases,
    kind: shape.kind,
    options: shape.options,
    allowed: shape.allowed,
    allowedInEnv:
      shape.kind === 'boolean'
        ? 'true, false, 1, 0, yes or no'
        : envListSeparator === 'path-delimiter'
          ? `${shape.allowed}, separated by the path delimiter (':' on POSIX)`
          : envListSeparator === 'comma'
            ? `${shape.allowed}, separated by commas`
            : shape.allowed,
    envListSeparator,
    isPath,
    defaultValue: input.defaultValue,
    description,
    // A name like `maxTokens` matches the pattern but a number is never a secret.
    secret:
      spec.secretPaths.has(input.path) ||
      ((shape.kind === 'string' || shape.kind === 'string-list') &&
        isSecretPath(input.path, spec.secretPaths)),
  };
}

/** Strips default / prefault / optional / nullable wrappers, keeping the first description found. */
function peel(schema: z.ZodType): { core: z.ZodType; description: string | undefined } {
  let current = schema;
  let description = current.description;
  for (;;) {
    const def = current.def as { type: string; innerType?: z.ZodType };
    if (
      !['default', 'prefault', 'optional', 'nullable', 'readonly', 'catch'].includes(def.type) ||
      !def.innerType
    ) {
      break;
    }
    current = def.innerType;
    description ??= current.description;
  }
  return { core: current, description };
}

interface KeyShape {
  kind: ConfigValueKind;
  options: readonly string[] | undefined;
  allowed: string;
}

function classify(core: z.ZodType, path: string): KeyShape {
  switch (core.def.type) {
    case 'string': {
      const minLength = (core as z.ZodString).minLength ?? 0;
      const allowed =
        minLength > 1
          ? `a string of at least ${minLength} characters`
          : minLength === 1
            ? 'a non-empty string'
            : 'a string';
      return { kind: 'string', options: undefined, allowed };
    }
    case 'boolean':
      return { kind: 'boolean', options: undefined, allowed: 'true or false' };
    case 'enum': {
      const options = (core as z.ZodEnum).options.map(String);
      return { kind: 'enum', options, allowed: `one of ${options.join(', ')}` };
    }
    case 'number': {
      const number = core as z.ZodNumber;
      const integer = number.isInt;
      const noun = integer ? 'an integer' : 'a number';
      const min = bounded(number.minValue) ? number.minValue : undefined;
      const max = bounded(number.maxValue) ? number.maxValue : undefined;
      const range =
        min !== undefined && max !== undefined
          ? ` from ${min} to ${max}`
          : min !== undefined
            ? ` of at least ${min}`
            : max !== undefined
              ? ` of at most ${max}`
              : '';
      return { kind: integer ? 'integer' : 'number', options: undefined, allowed: `${noun}${range}` };
    }
    case 'array': {
      const element = peel((core as z.ZodArray<z.ZodType>).element).core;
      if (element.def.type === 'string') {
        return { kind: 'string-list', options: undefined, allowed: 'a list of strings' };
      }
      if (element.def.type === 'enum') {
        const options = (element as z.ZodEnum).options.map(String);
        return { kind: 'string-list', options, allowed: `a list of: ${options.join(', ')}` };
      }
      break;
    }
  }
  throw new Error(
    `Config key "${path}" has an unsupported type (${core.def.type}); ` +
      'supported: string, number, boolean, enum, array of strings or enums',
  );
}

function bounded(value: number | null): value is number {
  return value !== null && Number.isFinite(value) && Math.abs(value) < Number.MAX_SAFE_INTEGER;
}

function checkSpec(spec: ConfigSpec, sections: readonly ConfigSection[]): void {
  const keys = sections.flatMap((section) => section.keys);
  const byPath = new Map(keys.map((key) => [key.path, key]));
  const envOwners = new Map<string, string>();
  for (const key of keys) {
    for (const name of [key.envVar, ...key.envAliases]) {
      const owner = envOwners.get(name);
      if (owner !== undefined) {
        throw new Error(`Environment variable ${name} would set both "${owner}" and "${key.path}"`);
      }
      envOwners.set(name, key.path);
    }
  }
  for (const [alias, path] of Object.entries(spec.envAliases)) {
    if (!byPath.has(path)) throw new Error(`Environment alias ${alias} points at unknown key "${path}"`);
    // Aliases outside the prefix are vendors' own variables (ANTHROPIC_API_KEY): plain upper snake case.
    if (!alias.startsWith(spec.envPrefix) && !/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/.test(alias))
      throw new Error(
        `Environment alias ${alias} is neither ${spec.envPrefix}* nor an upper snake case name`,
      );
  }
  for (const path of spec.pathKeys) {
    const key = byPath.get(path);
    if (!key) throw new Error(`Path key "${path}" is not in the schema`);
    if (key.kind !== 'string' && key.kind !== 'string-list') {
      throw new Error(`Path key "${path}" must be a string or a list of strings`);
    }
  }
  for (const path of spec.secretPaths) {
    if (!byPath.has(path)) throw new Error(`Secret key "${path}" is not in the schema`);
  }
}
