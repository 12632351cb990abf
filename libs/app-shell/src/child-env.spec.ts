import { describe, expect, it } from '@jest/globals';
import { CHILD_ENV_VARIABLES, childEnvironment } from './child-env.js';

describe('childEnvironment', () => {
  it('passes the harmless variables the server has and nothing else', () => {
    const env = {
      PATH: '/usr/bin:/bin',
      HOME: '/home/ops',
      TZ: 'UTC',
      OPENAI_API_KEY: 'sk-secret',
      TELEMETRYFLOW_MCP_POSTGRES_URL: 'postgres://u:p@db/x',
      LANG: undefined,
    };
    expect(childEnvironment(env)).toEqual({ PATH: '/usr/bin:/bin', HOME: '/home/ops', TZ: 'UTC' });
  });

  it('lists only variables that carry no secret', () => {
    expect([...CHILD_ENV_VARIABLES].sort()).toEqual(['HOME', 'LANG', 'LC_ALL', 'PATH', 'TMPDIR', 'TZ']);
  });
});
