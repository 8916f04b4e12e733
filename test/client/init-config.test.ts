import { afterEach, describe, expect, it, vi } from 'vitest';
import { init, InstantValidationError } from '../../src/index.ts';

const appId = crypto.randomUUID();
const adminToken = crypto.randomUUID();

describe('init', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('reads INSTANT_APP_ID, INSTANT_ADMIN_TOKEN and INSTANT_API_URI when options are missing', () => {
    vi.stubEnv('INSTANT_APP_ID', appId);
    vi.stubEnv('INSTANT_ADMIN_TOKEN', adminToken);
    vi.stubEnv('INSTANT_API_URI', 'http://127.0.0.1:8888/');
    const db = init();
    expect(db.toJSON()).toMatchObject({
      appId,
      apiURI: 'http://127.0.0.1:8888',
      adminToken: `${adminToken.slice(0, 4)}…`,
    });
  });

  it('defaults apiURI to Instant Cloud and lets options win over the environment', () => {
    vi.stubEnv('INSTANT_APP_ID', crypto.randomUUID());
    expect(init({ appId }).toJSON()).toMatchObject({ appId, apiURI: 'https://api.instantdb.com' });
  });

  it('reports every bad option at once, never showing the token', () => {
    try {
      init({ appId: 'x', adminToken: 'secret-not-uuid', apiURI: 'ftp://host' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InstantValidationError);
      expect((error as InstantValidationError).issues.map((issue) => issue.path)).toEqual([
        'init.appId',
        'init.adminToken',
        'init.apiURI',
      ]);
      expect((error as Error).message).not.toContain('secret-not-uuid');
    }
  });

  it('warns once about plain http to a non-loopback host, never for loopback', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    init({ appId, apiURI: 'http://127.0.0.1:1234' });
    init({ appId, apiURI: 'http://localhost:1234' });
    expect(warn).not.toHaveBeenCalled();
    init({ appId, apiURI: 'http://instant.example.internal' });
    init({ appId, apiURI: 'http://instant.example.internal' });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toContain('plain http');
  });
});
