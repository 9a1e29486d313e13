import { DomainError, FieldProblem } from '../common/domain-error';
import { readTargetBody, toTargetView } from './target-rules';
import { Target } from './target.entity';

const departments: Record<string, string> = { 福祉こども部: 'D04', D04: 'D04' };
async function departmentCode(value: string): Promise<string> {
  const code = departments[value];
  if (!code) throw new Error(`部局「${value}」が見つかりません`);
  return code;
}

async function problemsOf(body: Record<string, unknown>): Promise<FieldProblem[]> {
  try {
    await readTargetBody(body, departmentCode);
  } catch (error) {
    if (error instanceof DomainError) return error.details as FieldProblem[];
    throw error;
  }
  throw new Error('the body was accepted');
}

describe('readTargetBody', () => {
  it('should fold the id, read a 和暦 deadline and turn labels into keys', async () => {
    const fields = await readTargetBody(
      { id: ' Seal-FY2026 ', program: 'seal', label: ' 押印廃止（令和8年度分） ', deadline: '令和8年度末', scope: { department: '福祉こども部', fields: { sealKind: '実印' }, codes: ['ｓ－０１', 'ｓ－０１'] } },
      departmentCode,
    );
    expect(fields).toEqual({
      id: 'seal-fy2026',
      program: 'seal',
      label: '押印廃止（令和8年度分）',
      deadline: '2027-03-31',
      scope: { department: 'D04', fields: { sealKind: 'registered' }, codes: ['S-01'] },
    });
  });

  it('should list every problem of the body at once, the department lookup among them', async () => {
    const problems = await problemsOf({ id: 'x', program: 'nope', deadline: 'いつか', scope: { department: '存在しない部', codes: 'S-01' } });
    expect(problems.map((problem) => [problem.field, problem.code])).toEqual([
      ['id', 'invalid_id'],
      ['program', 'unknown_program'],
      ['label', 'missing_required'],
      ['deadline', 'invalid_date'],
      ['scope.department', 'unknown_department'],
      ['scope.codes', 'invalid_scope'],
    ]);
    expect(problems[4].message).toBe('部局「存在しない部」が見つかりません');
  });

  it('should allow a national group only on an online target', async () => {
    const problems = await problemsOf({ id: 'seal-x', program: 'seal', label: '押印', deadline: '2027-03-31', scope: { nationalGroup: 'mynumber27' } });
    expect(problems.map((problem) => problem.code)).toEqual(['invalid_choice']);
  });
});

describe('toTargetView', () => {
  it('should show the deadline as a 和暦 term and the stored scope', () => {
    const target = Object.assign(new Target(), { id: 'analog-review', program: 'analog', label: 'アナログ規制', deadline: '2027-03-31', scope: null, createdAt: '2026-01-01T00:00:00.000Z' });
    expect(toTargetView(target)).toEqual({ id: 'analog-review', program: 'analog', label: 'アナログ規制', deadline: '2027-03-31', deadlineLabel: '令和8年度末', scope: {} });
  });
});
