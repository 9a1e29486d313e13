// A program that is not built in: CONTRACT.md's "Programs as data" example.
export const FOLDERS = {
  key: 'folders',
  label: '共有フォルダ整理',
  itemNoun: 'フォルダ',
  states: [
    { key: 'not_started', label: '未着手' },
    { key: 'sorting', label: '整理中' },
    { key: 'sorted', label: '整理済' },
    { key: 'out_of_scope', label: '対象外' },
  ],
  initialState: 'not_started',
  doneStates: ['sorted'],
  excludedStates: ['out_of_scope'],
  legalBasisStates: [],
  fields: [
    { key: 'sizeGb', header: '容量（GB）', kind: 'integer' },
    { key: 'retention', header: '保存年限', kind: 'choice', choices: [ { key: 'y1', label: '1年' }, { key: 'y5', label: '5年' } ] },
    { key: 'manager', header: '管理者', kind: 'text', maxLength: 100 },
    { key: 'checkedOn', header: '確認日', kind: 'date' },
  ],
};
