/**
 * The configuration reference in docs/configuration.md, generated from the schema.
 * A unit test compares the file with this output, so the docs cannot drift.
 */
import { describeConfig, type ConfigKey, type ConfigSpec } from './config-keys.js';
import { yamlValue } from './init-config.js';
import { SERVER_CONFIG_SPEC } from './schema.js';

/** Marker lines around the generated part of docs/configuration.md. */
export const REFERENCE_BEGIN_MARKER = '<!-- BEGIN GENERATED CONFIGURATION REFERENCE: do not edit by hand -->';

/** Closing marker of the generated part of docs/configuration.md. */
export const REFERENCE_END_MARKER = '<!-- END GENERATED CONFIGURATION REFERENCE -->';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function code(text: string): string {
  return `\`${text}\``;
}

function envCell(key: ConfigKey): string {
  const parts = [code(key.envVar)];
  if (key.envListSeparator === 'path-delimiter') parts.push('(list separated by `:`, `;` on Windows)');
  if (key.envListSeparator === 'comma') parts.push('(comma-separated list)');
  for (const alias of key.envAliases) parts.push(`<br>alias ${code(alias)}`);
  return parts.join(' ');
}

function descriptionCell(key: ConfigKey): string {
  return key.secret ? `${key.description} Secret: shown as \`[REDACTED]\`.` : key.description;
}

/**
 * Markdown tables, one per section, with each key's dotted name, environment
 * variable (and aliases), YAML path, allowed values, default and description.
 *
 * @param spec the configuration to document; the server configuration by default.
 */
export function renderConfigurationReference(spec: ConfigSpec = SERVER_CONFIG_SPEC): string {
  const out: string[] = [];
  for (const section of describeConfig(spec)) {
    out.push(`### \`${section.yamlName}\``, '', section.description, '');
    out.push('| Key | Environment variable | YAML path | Type / allowed values | Default | Description |');
    out.push('|---|---|---|---|---|---|');
    for (const key of section.keys) {
      const defaultText = key.defaultValue === undefined ? '(unset)' : code(yamlValue(key.defaultValue));
      out.push(
        `| ${[
          code(key.path),
          envCell(key),
          code(key.yamlPath),
          key.allowed,
          defaultText,
          descriptionCell(key),
        ]
          .map(cell)
          .join(' | ')} |`,
      );
    }
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
