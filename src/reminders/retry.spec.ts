import { backoffDelays, withRetry } from './retry';

describe('withRetry', () => {
  it('should double the delay between attempts', () => {
    expect(backoffDelays({ attempts: 4, baseDelayMs: 1000 })).toEqual([1000, 2000, 4000]);
    expect(backoffDelays({ attempts: 1, baseDelayMs: 1000 })).toEqual([]);
  });

  it('should succeed on a later attempt after sleeping the backoff', async () => {
    const slept: number[] = [];
    let calls = 0;
    const outcome = await withRetry(
      async () => {
        calls++;
        if (calls < 3) throw new Error(`421 busy ${calls}`);
        return 'sent';
      },
      { attempts: 3, baseDelayMs: 10 },
      async (ms) => void slept.push(ms),
    );
    expect(outcome).toEqual({ ok: true, value: 'sent', attempts: 3 });
    expect(slept).toEqual([10, 20]);
  });

  it('should stop after the last attempt and return every error', async () => {
    let calls = 0;
    const outcome = await withRetry(
      async () => {
        calls++;
        throw new Error(`550 refused ${calls}`);
      },
      { attempts: 2, baseDelayMs: 0 },
      async () => undefined,
    );
    expect(calls).toBe(2);
    expect(outcome).toMatchObject({ ok: false, attempts: 2, errors: ['550 refused 1', '550 refused 2'] });
  });
});
