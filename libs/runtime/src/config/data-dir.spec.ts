import { describe, it, expect } from '@jest/globals';
import { resolveDataDir } from './data-dir.js';

describe('resolveDataDir', () => {
  it('keeps a configured directory', () => {
    expect(resolveDataDir('/srv/tfo', { homeDir: '/home/ada', runningAsRoot: true })).toBe('/srv/tfo');
  });
  it('defaults to ~/.local/share/tfo-mcp', () => {
    expect(resolveDataDir('', { homeDir: '/home/ada', runningAsRoot: false })).toBe(
      '/home/ada/.local/share/tfo-mcp',
    );
  });
  it('honours XDG_DATA_HOME', () => {
    expect(resolveDataDir('', { homeDir: '/home/ada', runningAsRoot: false, xdgDataHome: '/data' })).toBe(
      '/data/tfo-mcp',
    );
  });
  it('uses /var/lib/tfo-mcp for root, whose home the postgres user cannot enter', () => {
    expect(resolveDataDir('', { homeDir: '/root', runningAsRoot: true })).toBe('/var/lib/tfo-mcp');
  });
});
