import { loadConfig, parseDatabaseUrl, parseTrustProxy } from './app-config';

describe('app config', () => {
  it('should read TRUST_PROXY as off, a hop count, or addresses', () => {
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseTrustProxy('off')).toBe(false);
    expect(parseTrustProxy('1')).toBe(1);
    expect(parseTrustProxy('loopback, 10.0.0.0/8')).toBe('loopback, 10.0.0.0/8');
  });

  it('should pick SQLite by default and PostgreSQL from a postgres URL', () => {
    expect(parseDatabaseUrl(undefined, '/srv/app')).toEqual({ type: 'sqlite', path: '/srv/app/data/tracker.sqlite' });
    expect(parseDatabaseUrl('sqlite:other.sqlite', '/srv/app')).toEqual({ type: 'sqlite', path: '/srv/app/other.sqlite' });
    expect(parseDatabaseUrl('postgres://u@h:5432/db')).toMatchObject({ type: 'postgres', url: 'postgres://u@h:5432/db' });
    expect(() => parseDatabaseUrl('mysql://x')).toThrow(/DATABASE_URL/);
  });

  it('should refuse a malformed number setting', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(loadConfig({ UPLOAD_LIMIT_MB: '5' }).uploadLimitBytes).toBe(5 * 1024 * 1024);
    expect(loadConfig({}).logFormat).toBe('text');
    expect(loadConfig({ LOG_FORMAT: ' JSON ' }).logFormat).toBe('json');
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT/);
    expect(loadConfig({}).shutdownGraceMs).toBe(20_000);
    expect(loadConfig({ SHUTDOWN_GRACE_SECONDS: '5' }).shutdownGraceMs).toBe(5_000);
  });
});
