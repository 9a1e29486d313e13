import { performance } from 'node:perf_hooks';
import { DomainError } from './domain-error';

// One import may not hold the server's CPU for minutes, nor keep working for a client that has
// gone away. Long loops call check() every few hundred rows; it throws to stop them, and since
// every import writes in one transaction at the end (or not at all), stopping writes nothing.

/** Monotonic milliseconds: a budget measures elapsed work, never the date. */
export type Ticks = () => number;

export class WorkBudget {
  private readonly startedAt: number;

  /**
   * @param limitMs processing time allowed; 0 = no limit.
   * @param signal aborted when the HTTP client disconnects.
   * @param ticks monotonic clock (tests inject one that advances as they please).
   */
  constructor(
    readonly limitMs: number,
    private readonly signal?: AbortSignal,
    private readonly ticks: Ticks = () => performance.now(),
  ) {
    this.startedAt = ticks();
  }

  /** Throws `client_closed` when the client went away, `time_limit_exceeded` past the limit. */
  check(): void {
    if (this.signal?.aborted) {
      throw new DomainError('client_closed', '接続が切れたため処理を中止しました（何も書き込んでいません）', 400);
    }
    if (this.limitMs > 0 && this.ticks() - this.startedAt > this.limitMs) {
      const seconds = Math.round((this.limitMs / 1000) * 10) / 10;
      throw new DomainError(
        'time_limit_exceeded',
        `処理時間が上限（${seconds}秒）を超えたため中止しました（何も書き込んでいません）。ファイルを分けて取り込んでください`,
        422,
        { limitSeconds: seconds },
      );
    }
  }

  /** check as a plain function, for readers that take a callback. */
  readonly checkpoint = (): void => this.check();
}

/** An AbortSignal that fires when the response's connection closes before the response was sent. */
export function clientGone(response: { on(event: 'close', listener: () => void): unknown; writableFinished?: boolean }): AbortSignal {
  const controller = new AbortController();
  response.on('close', () => {
    if (!response.writableFinished) controller.abort();
  });
  return controller.signal;
}
