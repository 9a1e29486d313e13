// Bounded retries with exponential backoff for one mail: a relay that is briefly down or busy
// (421, a dropped connection) gets another chance; after the last attempt the failure is returned
// to the caller, which reports it. The sleep is injected so tests do not wait.

export interface RetryPolicy {
  attempts: number;
  /** Delay before the second attempt; doubled for each further one. */
  baseDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 2_000 };

export type RetryOutcome<T> = { ok: true; value: T; attempts: number } | { ok: false; error: Error; attempts: number; errors: string[] };

export const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function backoffDelays(policy: RetryPolicy): number[] {
  return Array.from({ length: Math.max(0, policy.attempts - 1) }, (_, index) => policy.baseDelayMs * 2 ** index);
}

export async function withRetry<T>(attempt: () => Promise<T>, policy: RetryPolicy, sleep: (ms: number) => Promise<void> = realSleep): Promise<RetryOutcome<T>> {
  const delays = backoffDelays(policy);
  const errors: string[] = [];
  for (let index = 0; index < policy.attempts; index++) {
    try {
      return { ok: true, value: await attempt(), attempts: index + 1 };
    } catch (error) {
      errors.push(error instanceof Error ? error.message : String(error));
      if (index === policy.attempts - 1) return { ok: false, error: error instanceof Error ? error : new Error(String(error)), attempts: index + 1, errors };
      await sleep(delays[index]);
    }
  }
  throw new Error('withRetry: attempts must be at least 1');
}
