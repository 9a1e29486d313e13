import { reportAction } from './confirmation-rules';

const before = (status: string) => ({ status, statusEffectiveOn: '2026-04-01', completedOn: null });

describe('reportAction', () => {
  it('reports an editor completing a seal form, keeping the state it came from', () => {
    expect(reportAction({ program: 'seal', role: 'editor', before: before('reviewing'), afterStatus: 'abolished', pending: false, statusWritten: true })).toEqual({
      action: 'report',
      previous: before('reviewing'),
    });
  });

  it('reports an item an editor creates done as coming from the initial state', () => {
    expect(reportAction({ program: 'analog', role: 'editor', before: null, afterStatus: 'amended', pending: false, statusWritten: true })).toEqual({
      action: 'report',
      previous: { status: 'not_inspected', statusEffectiveOn: null, completedOn: null },
    });
  });

  it('needs no confirmation for administrators, and their status change settles a pending report', () => {
    expect(reportAction({ program: 'seal', role: 'admin', before: before('reviewing'), afterStatus: 'abolished', pending: false, statusWritten: true }).action).toBe('none');
    expect(reportAction({ program: 'seal', role: 'admin', before: before('abolished'), afterStatus: 'abolished', pending: true, statusWritten: true }).action).toBe('clear');
    expect(reportAction({ program: 'seal', role: 'admin', before: before('abolished'), afterStatus: 'abolished', pending: true, statusWritten: false }).action).toBe('none');
  });

  it('keeps a pending report through a new completion date and withdraws it when the editor leaves the done states', () => {
    expect(reportAction({ program: 'seal', role: 'editor', before: before('abolished'), afterStatus: 'abolished', pending: true, statusWritten: true }).action).toBe('none');
    expect(reportAction({ program: 'seal', role: 'editor', before: before('abolished'), afterStatus: 'reviewing', pending: true, statusWritten: true }).action).toBe('clear');
  });

  it('does not report a move between done states, nor anything in a program without confirmDone', () => {
    expect(reportAction({ program: 'analog', role: 'editor', before: before('amended'), afterStatus: 'operation_changed', pending: false, statusWritten: true }).action).toBe('none');
    expect(reportAction({ program: 'online', role: 'editor', before: before('planning'), afterStatus: 'online', pending: false, statusWritten: true }).action).toBe('none');
  });
});
