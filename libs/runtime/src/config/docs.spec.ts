import { describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { configKeys } from './config-keys.js';
import { REFERENCE_BEGIN_MARKER, REFERENCE_END_MARKER, renderConfigurationReference } from './docs.js';
import { SERVER_CONFIG_SPEC } from './schema.js';

const DOC = resolve(__dirname, '../../../../docs/configuration.md');

/** The part of the document between the markers, markers excluded. */
function generatedPart(text: string): string | undefined {
  const begin = text.indexOf(REFERENCE_BEGIN_MARKER);
  const end = text.indexOf(REFERENCE_END_MARKER);
  if (begin < 0 || end < begin) return undefined;
  return text.slice(begin + REFERENCE_BEGIN_MARKER.length, end).trim();
}

describe('renderConfigurationReference', () => {
  const reference = renderConfigurationReference();

  it('has a row for every key with its environment variable, YAML path and default', () => {
    for (const key of configKeys(SERVER_CONFIG_SPEC)) {
      expect(reference).toContain(`| \`${key.path}\` | \`${key.envVar}\``);
      expect(reference).toContain(`\`${key.yamlPath}\``);
    }
    expect(reference).toContain(
      '| `server.port` | `TELEMETRYFLOW_MCP_SERVER_PORT` | `server.port` | an integer from 1 to 65535 | `8080` | Port the HTTP transport listens on. |',
    );
    expect(reference).toContain('<br>alias `TELEMETRYFLOW_MCP_LOG_LEVEL`');
  });

  // Regenerate with: TFO_UPDATE_DOCS=1 npx jest libs/runtime/src/config/docs.spec.ts
  it('matches docs/configuration.md', () => {
    const text = readFileSync(DOC, 'utf8');
    if (process.env['TFO_UPDATE_DOCS'] === '1') {
      const begin = text.indexOf(REFERENCE_BEGIN_MARKER);
      const end = text.indexOf(REFERENCE_END_MARKER);
      expect(begin >= 0 && end > begin).toBe(true);
      const updated = `${text.slice(0, begin + REFERENCE_BEGIN_MARKER.length)}\n\n${reference}\n${text.slice(end)}`;
      writeFileSync(DOC, updated);
      return;
    }
    expect(generatedPart(text)).toBe(reference.trim());
  });
});
