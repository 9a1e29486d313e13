import { csrfMatches, csrfTokenFor, SESSION_ABSOLUTE_MS, sessionExpiry } from './sessions.service';

describe('session rules', () => {
  const at = (ms: number) => new Date(Date.UTC(2026, 10, 24) + ms).toISOString();
  const minute = 60_000;

  it('should end a session idle for the idle time, and any session after 12 hours', () => {
    const session = { createdAt: at(0), lastSeenAt: at(10 * minute) };
    expect(sessionExpiry(session, Date.parse(at(39 * minute)), 30 * minute)).toBeNull();
    expect(sessionExpiry(session, Date.parse(at(40 * minute)), 30 * minute)).toBe('idle');
    const busy = { createdAt: at(0), lastSeenAt: at(SESSION_ABSOLUTE_MS - minute) };
    expect(sessionExpiry(busy, Date.parse(at(SESSION_ABSOLUTE_MS - 1)), 30 * minute)).toBeNull();
    expect(sessionExpiry(busy, Date.parse(at(SESSION_ABSOLUTE_MS)), 30 * minute)).toBe('absolute');
  });

  it('should derive the CSRF token from the session secret and compare it exactly', () => {
    const token = csrfTokenFor('secret-a');
    expect(token).not.toContain('secret-a');
    expect(csrfMatches('secret-a', token)).toBe(true);
    expect(csrfMatches('secret-b', token)).toBe(false);
    expect(csrfMatches('secret-a', `${token}x`)).toBe(false);
    expect(csrfMatches('secret-a', undefined)).toBe(false);
    expect(csrfMatches('secret-a', ['x'])).toBe(false);
  });
});
