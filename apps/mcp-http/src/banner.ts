/**
 * The start-up banner printed on stdout: where the MCP endpoint is and how to connect the
 * usual clients to it. With a local API key the connect lines carry it; with anonymous loopback
 * they need no header; otherwise they show where a credential goes.
 *
 * Decision: the Claude Desktop snippet passes the header through an environment variable
 * (`Authorization:${AUTH_HEADER}`), the form mcp-remote documents, because some clients do not
 * quote arguments containing spaces when they start it.
 */

/** What the banner shows. */
export interface BannerInputs {
  /** The MCP endpoint URL. */
  url: string;
  version: string;
  /** The API key created for this start (loopback, embedded engines), when there is one. */
  localKey?: string | undefined;
  /** True when requests without a credential are accepted. */
  anonymous: boolean;
  /** True when OAuth issuers are configured. */
  oauth: boolean;
  /** `stateless` or `stateful`. */
  sessions: string;
}

/** Quotes `value` for a POSIX shell when it needs it. */
function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(value) ? value : `"${value.replace(/(["\\$`])/g, '\\$1')}"`;
}

/** The banner text. */
export function renderBanner(inputs: BannerInputs): string {
  const { url, localKey } = inputs;
  const credential = localKey ?? (inputs.anonymous ? undefined : '<API key>');
  const header = credential === undefined ? undefined : `Authorization: Bearer ${credential}`;
  const lines = [
    `TelemetryFlow MCP ${inputs.version} over Streamable HTTP (${inputs.sessions})`,
    `  MCP endpoint: ${url}`,
  ];
  if (localKey) lines.push(`  Local API key (demo organization, every scope): ${localKey}`);
  else if (inputs.anonymous)
    lines.push('  Authentication: none needed from this machine (auth.anonymousLoopback)');
  else {
    lines.push(
      `  Authentication: ${inputs.oauth ? 'an OAuth bearer token from a configured issuer, or ' : ''}an API key ` +
        '(Authorization: Bearer <key> or X-API-Key: <key>)',
    );
  }
  const claudeCode = ['claude', 'mcp', 'add', '--transport', 'http', 'telemetryflow', url];
  if (header) claudeCode.push('--header', header);
  const remoteArgs = ['mcp-remote', url];
  if (url.startsWith('http://')) remoteArgs.push('--allow-http');
  if (header) remoteArgs.push('--header', 'Authorization:${AUTH_HEADER}');
  const desktop = {
    mcpServers: {
      telemetryflow: {
        command: 'npx',
        args: remoteArgs,
        ...(credential === undefined ? {} : { env: { AUTH_HEADER: `Bearer ${credential}` } }),
      },
    },
  };
  const inspector = ['npx', '@modelcontextprotocol/inspector', '--transport', 'http', '--server-url', url];
  if (header) inspector.push('--header', header);
  lines.push(
    '',
    'Connect:',
    '  Claude Code:',
    `    ${claudeCode.map(shellQuote).join(' ')}`,
    '  Claude Desktop (claude_desktop_config.json):',
    ...JSON.stringify(desktop, null, 2)
      .split('\n')
      .map((line) => `    ${line}`),
    '  MCP Inspector:',
    `    ${inspector.map(shellQuote).join(' ')}`,
    '',
  );
  return lines.join('\n');
}
