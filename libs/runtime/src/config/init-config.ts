/**
 * `init-config`: a commented YAML file with every key at its default, generated from
 * the schema so it can never drift from what the loader accepts. Parsing the output
 * back yields exactly the defaults (a unit test holds this).
 */
import { stringify } from 'yaml';
import { describeConfig, type ConfigKey, type ConfigSpec } from './config-keys.js';
import { SERVER_CONFIG_SPEC } from './schema.js';

/** Default file name written by `init-config` and searched first by the loader. */
export const DEFAULT_CONFIG_FILE_NAME = 'tfo-mcp.yaml';

/** A value as YAML flow text: lists as `["a", "b"]`, scalars quoted only when needed. */
export function yamlValue(value: unknown): string {
  if (Array.isArray(value)) return JSON.stringify(value);
  return stringify(value, { lineWidth: 0 }).trimEnd();
}

function keyLines(key: ConfigKey): string[] {
  const env = key.envAliases.length > 0 ? `${key.envVar} (or ${key.envAliases.join(', ')})` : key.envVar;
  const lines = [`  # ${key.description}`, `  # Allowed: ${key.allowed}.`, `  # Environment: ${env}`];
  // An optional key without a default stays commented out, so parsing gives "unset" back.
  lines.push(
    key.defaultValue === undefined
      ? `  # ${key.yamlName}:`
      : `  ${key.yamlName}: ${yamlValue(key.defaultValue)}`,
  );
  return lines;
}

/**
 * The configuration file `init-config` writes: every section and key with its default
 * value, its one-line description, what it accepts and its environment variable.
 *
 * @param spec the configuration to describe; the server configuration by default.
 */
export function renderConfigYaml(spec: ConfigSpec = SERVER_CONFIG_SPEC): string {
  const out: string[] = [
    '# TelemetryFlow MCP configuration.',
    '#',
    '# Precedence, highest first: environment variables, this file, built-in defaults.',
    '# Every key is shown at its default; delete the ones you do not change.',
    '# Unknown keys are rejected, so a typo stops start-up instead of being ignored.',
  ];
  for (const section of describeConfig(spec)) {
    out.push('', `# ${section.description}`, `${section.yamlName}:`);
    section.keys.forEach((key, index) => {
      if (index > 0) out.push('');
      out.push(...keyLines(key));
    });
  }
  return `${out.join('\n')}\n`;
}
