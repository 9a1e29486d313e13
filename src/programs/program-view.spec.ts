import { programViews, toProgramView } from './program-view';
import { getProgram } from './program-definitions';

describe('toProgramView', () => {
  it('should list the three programs in their defined order', () => {
    expect(programViews().map((program) => [program.key, program.label])).toEqual([
      ['online', 'オンライン化'],
      ['seal', '押印廃止'],
      ['analog', 'アナログ規制見直し'],
    ]);
  });

  it('should mark done, excluded and legal-basis states', () => {
    const seal = toProgramView(getProgram('seal'));
    expect(seal.states).toEqual([
      { key: 'seal_required', label: '押印必要', done: false, excluded: false, needsLegalBasis: false },
      { key: 'reviewing', label: '検討中', done: false, excluded: false, needsLegalBasis: false },
      { key: 'abolished', label: '廃止済', done: true, excluded: false, needsLegalBasis: false },
      { key: 'legally_required', label: '法令上存続', done: false, excluded: true, needsLegalBasis: true },
    ]);
    const analog = toProgramView(getProgram('analog'));
    expect(analog.doneStates).toEqual(['amended', 'operation_changed']);
    expect(analog.states.filter((state) => state.done).map((state) => state.label)).toEqual(['改正済', '運用変更済']);
  });

  it('should give the sheet columns in order, with choices', () => {
    const online = toProgramView(getProgram('online'));
    expect(online.fields.map((field) => field.header)).toEqual([
      '管理番号', '名称', '所管課', '状況', '完了日', '予定日', '備考', '国の区分', '分野', '年間件数', '申請方法', '根拠法令',
    ]);
    expect(online.fields.find((field) => field.key === 'nationalGroup')?.choices).toEqual([
      { key: 'mynumber27', label: 'マイナンバー27' },
      { key: 'priority24', label: '優先24' },
      { key: 'city', label: '市独自' },
    ]);
    expect(online.fields[0]).toEqual({ key: 'code', header: '管理番号', kind: 'code', required: true, maxLength: 64, choices: null });
  });
});
