import { programDocument } from '../../test/support/factories';
import { readBuiltinDocuments } from './program-definitions';
import { checkProgramUpdate, ProgramDocument, toDefinition, validateProgramDocument } from './program-document';

// The folders example with three states and two fields (the entries' positions below count on it).
const folders = (): ProgramDocument =>
  programDocument({
    states: [
      { key: 'not_started', label: '未着手' },
      { key: 'sorted', label: '整理済' },
      { key: 'out_of_scope', label: '対象外' },
    ],
    fields: [
      { key: 'retention', header: '保存年限', kind: 'choice', choices: [ { key: 'y1', label: '1年' }, { key: 'y5', label: '5年' } ] },
      { key: 'manager', header: '管理者', kind: 'text', maxLength: 100 },
    ],
  });

const codes = (input: unknown) => {
  const result = validateProgramDocument(input);
  return 'problems' in result ? result.problems.map((problem) => `${problem.entry} ${problem.code}`) : [];
};

describe('validateProgramDocument', () => {
  it('should accept the built-in documents and turn text fields into free text', () => {
    const builtins = readBuiltinDocuments();
    expect(builtins.map((document) => document.key).sort()).toEqual(['analog', 'online', 'reform', 'seal']);
    const online = toDefinition(builtins.find((document) => document.key === 'online')!);
    expect(online.extraFields.find((field) => field.key === 'category')).toEqual({ key: 'category', header: '分野', kind: 'freeText', maxLength: 100 });
  });

  it('should accept the folders example and default the optional state lists', () => {
    const { legalBasisStates: _unused, ...rest } = folders();
    const result = validateProgramDocument(rest);
    expect('document' in result && result.document.legalBasisStates).toEqual([]);
  });

  it('should list every problem with where it is', () => {
    expect(
      codes({
        ...folders(),
        key: 'compliance',
        extra: true,
        states: [...folders().states, { key: 'Sorted', label: '整理済' }],
        excludedStates: ['sorted'],
        legalBasisStates: ['out_of_scope'],
        fields: [{ key: 'note', header: '保存年限', kind: 'text' }, { key: 'size', header: 'size', kind: 'integer', maxLength: 3 }],
      }),
    ).toEqual([
      'extra unknown_property',
      'key reserved_key',
      'states[3].key invalid_key',
      'states[3].label duplicate_label',
      'excludedStates state_conflict',
      'fields[0].key duplicate_key',
      'fields[1].maxLength invalid_entry',
      'legalBasisStates legal_basis_field_missing',
    ]);
  });

  it('should carry confirmDone (on for seal and analog in the seeds) and refuse a value that is not a boolean', () => {
    const byKey = new Map(readBuiltinDocuments().map((document) => [document.key, toDefinition(document)]));
    expect([byKey.get('seal')?.confirmDone, byKey.get('analog')?.confirmDone, byKey.get('online')?.confirmDone]).toEqual([true, true, false]);
    expect(codes({ ...folders(), confirmDone: 'yes' })).toEqual(['confirmDone invalid_entry']);
    const accepted = validateProgramDocument({ ...folders(), confirmDone: true });
    expect('document' in accepted && toDefinition(accepted.document).confirmDone).toBe(true);
  });

  it('should refuse a header that repeats a common column or another field\'s key', () => {
    expect(codes({ ...folders(), fields: [{ key: 'owner', header: '備考', kind: 'text' }, { key: 'size', header: 'owner', kind: 'integer' }] })).toEqual([
      'fields[0].header duplicate_header',
      'fields[1].header duplicate_header',
    ]);
  });
});

describe('checkProgramUpdate', () => {
  const unused = { states: new Set<string>(), fields: new Set<string>(), choices: new Map<string, Set<string>>() };

  it('should allow adding and relabeling, and removing what no item uses', () => {
    const next = folders();
    next.label = 'フォルダ整理';
    next.states = [...next.states.filter((state) => state.key !== 'sorted'), { key: 'done', label: '完了' }];
    next.doneStates = ['done'];
    next.fields = [next.fields[0]];
    expect(checkProgramUpdate(folders(), next, unused)).toEqual([]);
  });

  it('should refuse removing used states, fields and choices and any change of kind', () => {
    const next = folders();
    next.states = next.states.filter((state) => state.key !== 'sorted');
    next.doneStates = [];
    next.fields = [{ key: 'retention', header: '保存年限', kind: 'choice', choices: [{ key: 'y1', label: '1年' }] }];
    const usage = { states: new Set(['sorted']), fields: new Set(['manager', 'retention']), choices: new Map([['retention', new Set(['y5'])]]) };
    expect(checkProgramUpdate(folders(), next, usage).map((problem) => `${problem.entry} ${problem.code}`)).toEqual([
      'states[1] state_in_use',
      'fields[0].choices[1] choice_in_use',
      'fields[1] field_in_use',
    ]);
    const retyped = folders();
    retyped.fields = [{ ...retyped.fields[1], key: 'retention' }, retyped.fields[1]];
    expect(checkProgramUpdate(folders(), retyped, unused).map((problem) => problem.code)).toEqual(['field_kind_changed']);
  });
});
