import { OrganizationSnapshot, planReorganization, ReorganizationPlan, ReorganizationProblem } from './reorganization-plan';

const TODAY = '2026-11-24';

// The README's example document, kept here so that the documentation stays a valid document.
const README_EXAMPLE = {
  effectiveOn: '令和8年4月1日',
  note: '保健福祉部を福祉こども部と保険健康部に再編（市役所改革取組方針 §3(1)①）',
  newDepartments: [
    { code: 'D04', name: '福祉こども部' },
    { code: 'D05', name: '保険健康部' },
  ],
  moves: [
    { division: '子育て支援課', toDepartment: '福祉こども部' },
    { division: '社会福祉課', toDepartment: '福祉こども部' },
    { division: '保険年金課', toDepartment: '保険健康部' },
    { division: '市民健康課', toDepartment: '保険健康部' },
    { division: '高齢・介護福祉課', toDepartment: '保険健康部' },
  ],
  closeDepartments: ['保健福祉部'],
};

// 保健福祉部 (id 1) with three divisions, 行政管理部 (id 2) with one, and 福祉こども部 (id 3)
// created on 2026-10-01 with 障害福祉課, which 社会福祉課 staff moved into that day.
function snapshot(): OrganizationSnapshot {
  return {
    departments: [
      { id: 1, code: 'D90', name: '保健福祉部', validFrom: null, validTo: null },
      { id: 2, code: 'D01', name: '行政管理部', validFrom: null, validTo: null },
      { id: 3, code: 'D04', name: '福祉こども部', validFrom: '2026-10-01', validTo: null },
      { id: 4, code: 'D80', name: '旧総務部', validFrom: null, validTo: '2020-03-31' },
    ],
    divisions: [
      { id: 10, code: 'H-01', name: '子育て支援課', departmentId: 1, validFrom: null, validTo: null },
      { id: 11, code: 'H-02', name: '市民健康課', departmentId: 1, validFrom: null, validTo: null },
      { id: 12, code: 'H-03', name: '健康増進課', departmentId: 1, validFrom: null, validTo: null },
      { id: 20, code: 'D01-01', name: '総務課', departmentId: 2, validFrom: null, validTo: null },
      { id: 30, code: 'D04-01', name: '障害福祉課', departmentId: 3, validFrom: '2026-10-01', validTo: null },
      { id: 40, code: 'X-01', name: '旧庶務課', departmentId: 4, validFrom: null, validTo: '2020-03-31' },
    ],
    periods: [
      { id: 100, divisionId: 10, departmentId: 1, name: '子育て支援課', validFrom: null, validTo: null },
      { id: 101, divisionId: 11, departmentId: 1, name: '市民健康課', validFrom: null, validTo: null },
      { id: 102, divisionId: 12, departmentId: 1, name: '健康増進課', validFrom: null, validTo: null },
      { id: 103, divisionId: 20, departmentId: 2, name: '総務課', validFrom: null, validTo: null },
      { id: 104, divisionId: 30, departmentId: 3, name: '障害福祉課', validFrom: '2026-10-01', validTo: null },
      { id: 105, divisionId: 40, departmentId: 4, name: '旧庶務課', validFrom: null, validTo: '2020-03-31' },
    ],
    itemCounts: new Map([
      [10, 5],
      [12, 3],
    ]),
  };
}

function ok(document: unknown, state = snapshot()): ReorganizationPlan {
  const result = planReorganization(document, state, TODAY);
  if ('problems' in result) throw new Error(`unexpected problems: ${JSON.stringify(result.problems)}`);
  return result.plan;
}

function problems(document: unknown, state = snapshot()): ReorganizationProblem[] {
  const result = planReorganization(document, state, TODAY);
  if (!('problems' in result)) throw new Error('expected problems');
  return result.problems;
}

const codes = (list: ReorganizationProblem[]) => list.map((problem) => `${problem.entry} ${problem.code}`);

describe('planReorganization', () => {
  it('should plan the 保健福祉部 split: new departments, moves, a rename, a merge and the closure', () => {
    const plan = ok({
      effectiveOn: '令和8年11月1日',
      note: '保健福祉部の再編①',
      newDepartments: [{ code: 'Ｄ０５', name: '保険健康部' }],
      moves: [
        { division: 'h-01', toDepartment: '福祉こども部' },
        { division: '市民健康課', toDepartment: 'D05', rename: '健康づくり課' },
      ],
      merges: [{ division: '健康増進課', into: '市民健康課' }],
      closeDepartments: ['保健福祉部'],
    });
    expect(plan.effectiveOn).toBe('2026-11-01');
    expect(plan.lastDayBefore).toBe('2026-10-31');
    expect(plan.note).toBe('保健福祉部の再編①');
    expect(plan.newDepartments).toEqual([{ code: 'D05', name: '保険健康部' }]);
    expect(plan.moves).toEqual([
      expect.objectContaining({ divisionId: 10, department: expect.objectContaining({ kind: 'existing', id: 3 }), name: '子育て支援課', moved: true, renamed: false, period: { action: 'split', closeId: 100 } }),
      expect.objectContaining({ divisionId: 11, department: { kind: 'new', code: 'D05', name: '保険健康部' }, name: '健康づくり課', matchName: '健康づくり課', moved: true, renamed: true }),
    ]);
    expect(plan.merges).toEqual([{ divisionId: 12, code: 'H-03', into: { kind: 'existing', id: 11, code: 'H-02', name: '市民健康課' }, closePeriodId: 102, dropPeriodId: null, items: 3 }]);
    expect(plan.closeDepartments).toEqual([{ id: 1, code: 'D90', name: '保健福祉部' }]);
    expect(plan.summary).toEqual({ newDepartments: 1, newDivisions: 0, moved: 2, renamed: 1, merged: 1, closedDepartments: 1, itemsMoved: 3 });
  });

  it('should accept the README example: the April 2026 保健福祉部 split', () => {
    // The organization before April 2026: five divisions under 保健福祉部 (codes as seeded).
    const before: OrganizationSnapshot = {
      departments: [{ id: 1, code: 'D90', name: '保健福祉部', validFrom: null, validTo: null }],
      divisions: ['子育て支援課', '社会福祉課', '保険年金課', '市民健康課', '高齢・介護福祉課'].map((name, index) => ({
        id: index + 1,
        code: `H-0${index + 1}`,
        name,
        departmentId: 1,
        validFrom: null,
        validTo: null,
      })),
      periods: [],
      itemCounts: new Map(),
    };
    before.periods = before.divisions.map((division) => ({ id: division.id, divisionId: division.id, departmentId: 1, name: division.name, validFrom: null, validTo: null }));
    const plan = ok(README_EXAMPLE, before);
    expect(plan.summary).toEqual({ newDepartments: 2, newDivisions: 0, moved: 5, renamed: 0, merged: 0, closedDepartments: 1, itemsMoved: 0 });
    expect(plan.moves.map((move) => `${move.name}→${move.department.name}`)).toEqual([
      '子育て支援課→福祉こども部',
      '社会福祉課→福祉こども部',
      '保険年金課→保険健康部',
      '市民健康課→保険健康部',
      '高齢・介護福祉課→保険健康部',
    ]);
    expect(plan.lastDayBefore).toBe('2026-03-31');
  });

  it('should plan a split: a new division in a new department', () => {
    const plan = ok({
      effectiveOn: '2026-11-01',
      newDepartments: [{ code: 'D06', name: '保険健康部' }],
      newDivisions: [{ code: 'D06-01', name: '介護保険課', department: '保険健康部' }],
    });
    expect(plan.newDivisions).toEqual([{ code: 'D06-01', name: '介護保険課', matchName: '介護保険課', department: { kind: 'new', code: 'D06', name: '保険健康部' } }]);
    expect(plan.summary).toMatchObject({ newDepartments: 1, newDivisions: 1, moved: 0 });
  });

  it('should treat a rename without toDepartment as a rename in place, and keep the name as typed', () => {
    const plan = ok({ effectiveOn: '2026-04-01', moves: [{ division: '総務課', rename: '総務・法制課①' }] });
    expect(plan.moves[0]).toMatchObject({ department: { kind: 'existing', id: 2 }, name: '総務・法制課①', matchName: '総務・法制課1', moved: false, renamed: true });
    expect(plan.summary).toMatchObject({ moved: 0, renamed: 1 });
  });

  it('should rewrite the open period when a change repeats its own start date', () => {
    const plan = ok({ effectiveOn: '2026-10-01', moves: [{ division: '障害福祉課', rename: '障がい福祉課' }] });
    expect(plan.moves[0].period).toEqual({ action: 'correct', id: 104 });
  });

  it('should merge into a division the same document creates', () => {
    const plan = ok({
      effectiveOn: '2026-11-01',
      newDivisions: [{ code: 'H-10', name: '健康推進課', department: 'D90' }],
      merges: [
        { division: '市民健康課', into: 'H-10' },
        { division: '健康増進課', into: '健康推進課' },
      ],
    });
    expect(plan.merges.map((merge) => merge.into)).toEqual([
      { kind: 'new', code: 'H-10', name: '健康推進課' },
      { kind: 'new', code: 'H-10', name: '健康推進課' },
    ]);
  });

  it('should refuse what is not a document', () => {
    expect(codes(problems([]))).toEqual(['document not_an_object']);
    expect(codes(problems({ effectiveOn: '2026-04-01' }))).toEqual(['document empty_reorganization']);
    expect(codes(problems({ effectiveOn: '2026-04-01', move: [], moves: {} }))).toEqual(['document unknown_field', 'moves not_a_list']);
  });

  it('should refuse a missing, unreadable or future effective date', () => {
    const moves = [{ division: '総務課', rename: '総務法制課' }];
    expect(codes(problems({ moves }))).toEqual(['effectiveOn missing_required']);
    expect(problems({ effectiveOn: 'someday', moves })).toEqual([
      { entry: 'effectiveOn', code: 'invalid_date', message: expect.stringContaining('someday'), value: 'someday' },
    ]);
    expect(codes(problems({ effectiveOn: '2026-11-25', moves }))).toEqual(['effectiveOn effective_on_in_future']);
    expect(ok({ effectiveOn: TODAY, moves }).effectiveOn).toBe(TODAY);
  });

  it('should name the entry of every unknown or closed division and department', () => {
    const found = problems({
      effectiveOn: '2026-11-01',
      moves: [
        { division: '総務課', toDepartment: '行政管理部', rename: '総務課' },
        { division: '存在しない課', toDepartment: 'D01' },
        { division: '子育て支援課', toDepartment: '存在しない部' },
        { division: '旧庶務課', toDepartment: 'D01' },
        { division: '市民健康課', toDepartment: '旧総務部' },
        { division: '健康増進課' },
      ],
    });
    expect(codes(found)).toEqual([
      'moves[0] no_change',
      'moves[1] unknown_division',
      'moves[2] unknown_department',
      'moves[3] division_closed',
      'moves[4] department_closed',
      'moves[5] empty_move',
    ]);
    expect(found[1]).toMatchObject({ value: '存在しない課', message: expect.stringContaining('存在しない課') });
  });

  it('should refuse a new code that exists, and a name already in use', () => {
    const found = problems({
      effectiveOn: '2026-11-01',
      newDepartments: [
        { code: 'd01', name: '新しい部' },
        { code: 'D07', name: '保健福祉部' },
        { code: 'D08', name: '子ども部' },
        { code: 'D08', name: '子ども部２' },
      ],
      newDivisions: [
        { code: 'H-01', name: '新しい課', department: 'D90' },
        { code: 'H-20', name: '総務課', department: 'D90' },
      ],
      moves: [{ division: '市民健康課', rename: '子育て支援課' }],
    });
    expect(codes(found)).toEqual([
      'newDepartments[0] code_exists',
      'newDepartments[3] duplicate_code',
      'newDivisions[0] code_exists',
      'moves[0] name_taken',
      'newDivisions[1] name_taken',
      'newDepartments[1] name_taken',
    ]);
  });

  it('should allow two divisions to swap names in one document', () => {
    const plan = ok({
      effectiveOn: '2026-11-01',
      moves: [
        { division: 'H-01', rename: '市民健康課' },
        { division: 'H-02', rename: '子育て支援課' },
      ],
    });
    expect(plan.summary.renamed).toBe(2);
  });

  it('should refuse merging a division into itself, into a merged one, or twice', () => {
    const found = problems({
      effectiveOn: '2026-11-01',
      moves: [{ division: '健康増進課', toDepartment: 'D01' }],
      merges: [
        { division: '子育て支援課', into: 'H-01' },
        { division: '健康増進課', into: '総務課' },
        { division: '市民健康課', into: '総務課' },
        { division: '総務課', into: '障害福祉課' },
      ],
    });
    expect(codes(found)).toEqual(['merges[1] duplicate_division', 'merges[0] merge_into_itself', 'merges[2] merge_into_merged']);
  });

  it('should refuse to close a department that still has divisions after the document', () => {
    const found = problems({
      effectiveOn: '2026-11-01',
      moves: [{ division: '子育て支援課', toDepartment: 'D04' }],
      merges: [{ division: '健康増進課', into: '子育て支援課' }],
      closeDepartments: ['保健福祉部', 'D90', '旧総務部', '新しい部'],
    });
    expect(codes(found)).toEqual([
      'closeDepartments[1] duplicate_department',
      'closeDepartments[2] department_closed',
      'closeDepartments[3] unknown_department',
      'closeDepartments[0] department_not_empty',
    ]);
    expect(found[3].message).toContain('市民健康課');
  });

  it('should refuse to close a department that a division left only after the effective date', () => {
    const state = snapshot();
    // 子育て支援課 left 保健福祉部 on 2026-10-01: the department cannot have closed before then
    state.periods[0] = { ...state.periods[0], validTo: '2026-09-30' };
    state.periods.push({ id: 200, divisionId: 10, departmentId: 3, name: '子育て支援課', validFrom: '2026-10-01', validTo: null });
    state.divisions[0] = { ...state.divisions[0], departmentId: 3 };
    const merges = [
      { division: '市民健康課', into: '総務課' },
      { division: '健康増進課', into: '総務課' },
    ];
    const found = problems({ effectiveOn: '2026-09-01', merges, closeDepartments: ['D90'] }, state);
    expect(codes(found)).toEqual(['closeDepartments[0] department_not_empty']);
    expect(found[0].message).toContain('子育て支援課（2026-09-30まで）');
    expect(ok({ effectiveOn: '2026-10-01', merges, closeDepartments: ['D90'] }, state).closeDepartments).toHaveLength(1);
  });

  it('should refuse an effective date before a change already recorded for the division', () => {
    const found = problems({
      effectiveOn: '2026-09-01',
      moves: [{ division: '障害福祉課', toDepartment: 'D01' }, { division: '総務課', toDepartment: '福祉こども部' }],
      merges: [{ division: '子育て支援課', into: '障害福祉課' }],
      closeDepartments: ['福祉こども部'],
    });
    expect(codes(found)).toEqual([
      'moves[0] before_recorded_change',
      'moves[1] department_not_in_force',
      'merges[0] division_not_in_force',
      'closeDepartments[0] before_recorded_change',
    ]);
    // merging a division away on the day it was created would leave it never in force
    expect(codes(problems({ effectiveOn: '2026-10-01', merges: [{ division: '障害福祉課', into: '総務課' }] }))).toEqual(['merges[0] before_recorded_change']);
  });

  it('should drop the period a division opened on the date it is merged away', () => {
    const state = snapshot();
    state.periods[3] = { ...state.periods[3], validTo: '2026-10-31' };
    state.periods.push({ id: 300, divisionId: 20, departmentId: 3, name: '総務課', validFrom: '2026-11-01', validTo: null });
    const plan = ok({ effectiveOn: '2026-11-01', merges: [{ division: '総務課', into: '子育て支援課' }] }, state);
    expect(plan.merges[0]).toMatchObject({ closePeriodId: null, dropPeriodId: 300 });
  });

  it('should refuse entries that are not objects, have unknown fields or miss required ones', () => {
    const found = problems({
      effectiveOn: '2026-11-01',
      newDepartments: ['D09'],
      newDivisions: [{ code: 'N-1', name: '新課' }],
      moves: [{ division: '総務課', toDepartmnet: 'D90' }],
      merges: [{ division: { code: 'H-01' }, into: '総務課' }],
      closeDepartments: [{ code: 'D90' }],
    });
    expect(codes(found)).toEqual([
      'newDepartments[0] not_an_object',
      'newDivisions[0] missing_required',
      'moves[0] unknown_field',
      'merges[0] invalid_value',
      'closeDepartments[0] invalid_value',
    ]);
  });
});
