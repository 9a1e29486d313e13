import { EventEmitter } from 'node:events';
import { DomainError } from './domain-error';
import { clientGone, WorkBudget } from './work-budget';

function codeOf(work: () => void): string | null {
  try {
    work();
    return null;
  } catch (error) {
    return error instanceof DomainError ? error.code : 'other';
  }
}

describe('WorkBudget', () => {
  it('should stop once the injected clock passes the limit, and never without a limit', () => {
    let now = 1_000;
    const budget = new WorkBudget(500, undefined, () => now);
    now += 500;
    expect(codeOf(budget.checkpoint)).toBeNull();
    now += 1;
    expect(codeOf(budget.checkpoint)).toBe('time_limit_exceeded');
    expect(codeOf(() => new WorkBudget(0, undefined, () => (now += 1e9)).check())).toBeNull();
  });

  it('should stop when the client has gone away', () => {
    const controller = new AbortController();
    const budget = new WorkBudget(0, controller.signal, () => 0);
    expect(codeOf(() => budget.check())).toBeNull();
    controller.abort();
    expect(codeOf(() => budget.check())).toBe('client_closed');
  });
});

describe('clientGone', () => {
  it('should abort when the connection closes before the response was sent, not after', () => {
    const early = Object.assign(new EventEmitter(), { writableFinished: false });
    const signal = clientGone(early);
    expect(signal.aborted).toBe(false);
    early.emit('close');
    expect(signal.aborted).toBe(true);
    const done = Object.assign(new EventEmitter(), { writableFinished: true });
    const finished = clientGone(done);
    done.emit('close');
    expect(finished.aborted).toBe(false);
  });
});
