import { planStatusChange } from './status-rules';

const today = '2026-11-24';
const base = { resultingNote: null, resultingLegalBasis: null };

function problems(result: ReturnType<typeof planStatusChange>): string[] {
  return 'problems' in result ? result.problems.map((problem) => problem.code) : [];
}

describe('planStatusChange', () => {
  describe('creation', () => {
    it('should hold a state that is not done from the start', () => {
      const result = planStatusChange('seal', null, { ...base, status: 'reviewing' }, today);
      expect(result).toEqual({ plan: { status: 'reviewing', completedOn: null, effectiveOn: null, statusChanged: true, writesHistory: true } });
    });

    it('should default the completion date of a done state to the as-of date', () => {
      const result = planStatusChange('seal', null, { ...base, status: 'abolished' }, today);
      expect('plan' in result && result.plan.completedOn).toBe(today);
      expect('plan' in result && result.plan.effectiveOn).toBe(today);
    });

    it('should take a given completion date as the effective date', () => {
      const result = planStatusChange('analog', null, { ...base, status: 'amended', completedOn: '2026-05-01' }, today);
      expect('plan' in result && result.plan.effectiveOn).toBe('2026-05-01');
    });
  });

  it('should refuse a state the program does not have', () => {
    expect(problems(planStatusChange('online', null, { ...base, status: 'abolished' }, today))).toEqual(['invalid_status']);
  });

  it('should require a note for an excluding state', () => {
    expect(problems(planStatusChange('online', null, { ...base, status: 'not_applicable' }, today))).toEqual(['note_required']);
    expect(problems(planStatusChange('online', null, { ...base, status: 'not_applicable', resultingNote: '県の手続' }, today))).toEqual([]);
  });

  it('should require the legal basis for legally_required', () => {
    const withNote = { ...base, resultingNote: '法定様式' };
    expect(problems(planStatusChange('seal', null, { ...withNote, status: 'legally_required' }, today))).toEqual(['legal_basis_required']);
    expect(
      problems(planStatusChange('seal', null, { ...withNote, status: 'legally_required', resultingLegalBasis: '戸籍法施行規則第○条' }, today)),
    ).toEqual([]);
  });

  it('should require a note with the change that leaves a done state', () => {
    const current = { status: 'abolished', statusEffectiveOn: '2026-06-01', completedOn: '2026-06-01' };
    expect(problems(planStatusChange('seal', current, { ...base, status: 'reviewing' }, today))).toEqual(['note_required_to_reopen']);
    // an old note on the item is not a reason for this change
    expect(problems(planStatusChange('seal', current, { ...base, status: 'reviewing', resultingNote: '古い備考' }, today))).toEqual([
      'note_required_to_reopen',
    ]);
    expect(problems(planStatusChange('seal', current, { ...base, status: 'reviewing', changeNote: '様式を再確認' }, today))).toEqual([]);
  });

  it('should refuse a completion date after the as-of date', () => {
    expect(problems(planStatusChange('seal', null, { ...base, status: 'abolished', completedOn: '2026-11-25' }, today))).toEqual([
      'completed_in_future',
    ]);
  });

  it('should refuse a completion date on a state that is not done', () => {
    expect(problems(planStatusChange('seal', null, { ...base, status: 'reviewing', completedOn: '2026-11-01' }, today))).toEqual([
      'completed_on_not_done',
    ]);
  });

  it('should refuse a change that takes effect before the state it replaces', () => {
    const current = { status: 'reviewing', statusEffectiveOn: '2026-10-01', completedOn: null };
    expect(problems(planStatusChange('seal', current, { ...base, status: 'abolished', completedOn: '2026-09-30' }, today))).toEqual([
      'effective_before_previous',
    ]);
    expect(problems(planStatusChange('seal', current, { ...base, status: 'abolished', completedOn: '2026-10-01' }, today))).toEqual([]);
  });

  it('should date a change without a date on the as-of date', () => {
    const current = { status: 'not_inspected', statusEffectiveOn: null, completedOn: null };
    const result = planStatusChange('analog', current, { ...base, status: 'inspected' }, today);
    expect('plan' in result && result.plan.effectiveOn).toBe(today);
  });

  it('should write no history when the same status is set again', () => {
    const current = { status: 'abolished', statusEffectiveOn: '2026-06-01', completedOn: '2026-06-01' };
    const result = planStatusChange('seal', current, { ...base, status: 'abolished' }, today);
    expect('plan' in result && result.plan).toMatchObject({ statusChanged: false, writesHistory: false, completedOn: '2026-06-01' });
  });

  it('should record a moved completion date of a done item', () => {
    const current = { status: 'abolished', statusEffectiveOn: '2026-06-01', completedOn: '2026-06-01' };
    const result = planStatusChange('seal', current, { ...base, status: 'abolished', completedOn: '2026-07-01' }, today);
    expect('plan' in result && result.plan).toMatchObject({ statusChanged: false, writesHistory: true, effectiveOn: '2026-07-01' });
  });
});
