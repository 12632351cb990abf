import { describe, expect, it } from '@jest/globals';
import { renderBanner } from './banner.js';

const URL_ = 'http://127.0.0.1:8080/mcp';
const KEY = 'tfo_abcdefghijklmnopqrstuvwxyz012345';

function desktopConfig(banner: string): { mcpServers: { telemetryflow: Record<string, unknown> } } {
  const start = banner.indexOf('{');
  const end = banner.lastIndexOf('}');
  return JSON.parse(banner.slice(start, end + 1)) as {
    mcpServers: { telemetryflow: Record<string, unknown> };
  };
}

describe('renderBanner', () => {
  it('with a local key: the key and the exact connect lines', () => {
    const banner = renderBanner({
      url: URL_,
      version: '1.2.3',
      localKey: KEY,
      anonymous: false,
      oauth: false,
      sessions: 'stateless',
    });
    expect(banner).toContain(`MCP endpoint: ${URL_}`);
    expect(banner).toContain(KEY);
    expect(banner).toContain(
      `claude mcp add --transport http telemetryflow ${URL_} --header "Authorization: Bearer ${KEY}"`,
    );
    expect(banner).toContain(
      `npx @modelcontextprotocol/inspector --transport http --server-url ${URL_} --header "Authorization: Bearer ${KEY}"`,
    );
    expect(desktopConfig(banner).mcpServers.telemetryflow).toEqual({
      command: 'npx',
      args: ['mcp-remote', URL_, '--allow-http', '--header', 'Authorization:${AUTH_HEADER}'],
      env: { AUTH_HEADER: `Bearer ${KEY}` },
    });
  });

  it('with anonymous loopback: no header anywhere', () => {
    const banner = renderBanner({
      url: URL_,
      version: '1',
      anonymous: true,
      oauth: false,
      sessions: 'stateful',
    });
    expect(banner).toContain('(stateful)');
    expect(banner).toContain(`claude mcp add --transport http telemetryflow ${URL_}\n`);
    expect(banner).not.toContain('Authorization');
    expect(desktopConfig(banner).mcpServers.telemetryflow).toEqual({
      command: 'npx',
      args: ['mcp-remote', URL_, '--allow-http'],
    });
  });

  it('without a key: shows where the credential goes, and needs no --allow-http on https', () => {
    const url = 'https://mcp.example.com/mcp';
    const banner = renderBanner({ url, version: '1', anonymous: false, oauth: true, sessions: 'stateless' });
    expect(banner).toContain('an OAuth bearer token from a configured issuer, or an API key');
    expect(banner).toContain(`--header "Authorization: Bearer <API key>"`);
    expect(desktopConfig(banner).mcpServers.telemetryflow['args']).toEqual([
      'mcp-remote',
      url,
      '--header',
      'Authorization:${AUTH_HEADER}',
    ]);
  });
});
