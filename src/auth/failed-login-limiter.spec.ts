import { accountLockedForMs, addressBlockedForMs } from './failed-login-limiter';

describe('addressBlockedForMs', () => {
  const minute = 60_000;

  it('should block at the limit and not before, until the oldest counted failure leaves the window', () => {
    expect(addressBlockedForMs([2 * minute, minute], 3, 10 * minute, 2 * minute)).toBe(0);
    // newest first: the third most recent (t=0) leaves the window at 10 minutes
    expect(addressBlockedForMs([2 * minute, minute, 0], 3, 10 * minute, 2 * minute)).toBe(8 * minute);
    expect(addressBlockedForMs([2 * minute, minute, 0], 3, 10 * minute, 10 * minute)).toBe(0);
  });
});

describe('accountLockedForMs', () => {
  const minute = 60_000;
  const times = (...at: number[]) => at.map((value) => value * minute);

  it('should lock for the whole lock time from the failure that reached the limit', () => {
    // three failures within 10 minutes, the last at minute 8: locked until minute 23
    expect(accountLockedForMs(times(8, 4, 0), 3, 10 * minute, 15 * minute, 8 * minute)).toBe(15 * minute);
    expect(accountLockedForMs(times(8, 4, 0), 3, 10 * minute, 15 * minute, 22 * minute)).toBe(minute);
    expect(accountLockedForMs(times(8, 4, 0), 3, 10 * minute, 15 * minute, 23 * minute)).toBe(0);
  });

  it('should not lock when the failures are spread wider than the window, or too few', () => {
    expect(accountLockedForMs(times(10, 4, 0), 3, 10 * minute, 15 * minute, 10 * minute)).toBe(0);
    expect(accountLockedForMs(times(1, 0), 3, 10 * minute, 15 * minute, minute)).toBe(0);
  });

  it('should need a fresh count after a lock: the failure after it and the two before it span the lock', () => {
    expect(accountLockedForMs(times(23, 8, 4), 3, 10 * minute, 15 * minute, 23 * minute)).toBe(0);
  });
});
