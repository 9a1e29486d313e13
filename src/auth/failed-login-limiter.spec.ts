import { FailureWindow } from './failed-login-limiter';

describe('FailureWindow', () => {
  const minute = 60_000;

  it('should block a key at the limit and not before', () => {
    const window = new FailureWindow(3, 10 * minute);
    window.recordFailure('a', 0);
    window.recordFailure('a', minute);
    expect(window.blockedForMs('a', minute)).toBe(0);
    expect(window.recordFailure('a', 2 * minute)).toBe(true);
    // the oldest failure (t=0) leaves the window at 10 minutes
    expect(window.blockedForMs('a', 2 * minute)).toBe(8 * minute);
    expect(window.blockedForMs('b', 2 * minute)).toBe(0);
  });

  it('should lift the block once failures age out of the window', () => {
    const window = new FailureWindow(2, 10 * minute);
    window.recordFailure('a', 0);
    window.recordFailure('a', 5 * minute);
    expect(window.blockedForMs('a', 10 * minute - 1)).toBe(1);
    expect(window.blockedForMs('a', 10 * minute)).toBe(0);
    // one failure (t=5) is still in the window: one more blocks again
    window.recordFailure('a', 10 * minute);
    expect(window.blockedForMs('a', 10 * minute)).toBe(5 * minute);
    expect(window.blockedForMs('a', 25 * minute)).toBe(0);
  });

  it('should keep at most `limit` times per key and `maxKeys` keys', () => {
    const window = new FailureWindow(2, 10 * minute, 3);
    for (let i = 0; i < 50; i++) window.recordFailure('a', i);
    expect(window.blockedForMs('a', 50)).toBe(48 + 10 * minute - 50);
    window.recordFailure('b', 60);
    window.recordFailure('c', 70);
    window.recordFailure('d', 80);
    expect(window.size).toBe(3);
    // 'a' failed least recently and was forgotten
    expect(window.blockedForMs('a', 90)).toBe(0);
  });

  it('should answer true only for the failure that reaches the limit', () => {
    const window = new FailureWindow(2, minute);
    expect(window.recordFailure('a', 0)).toBe(false);
    expect(window.recordFailure('a', 1)).toBe(true);
    expect(window.recordFailure('a', 2)).toBe(false);
  });
});
