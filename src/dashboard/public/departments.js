import { $, clear, el, messageRow } from './dom.js';
import { number, percent } from './format.js';

// The progress table per department (部局) or per division (課) and program, sortable by any
// column with a click or the keyboard (each header is a button; aria-sort tells screen readers the
// order). The terms are the dashboard's one set: 全件・対象外・対象（分母）・完了・残り.

const COUNT_COLUMNS = [
  { key: 'total', label: '全件', numeric: true },
  { key: 'excluded', label: '対象外', numeric: true },
  { key: 'target', label: '対象（分母）', numeric: true },
  { key: 'done', label: '完了', numeric: true },
  { key: 'reported', label: '報告済', numeric: true },
  { key: 'remaining', label: '残り', numeric: true },
  { key: 'percent', label: '進捗率', numeric: true },
];

const UNIT_COLUMNS = {
  department: [
    { key: 'department', label: '部局', numeric: false },
    { key: 'program', label: '取組', numeric: false },
  ],
  division: [
    { key: 'division', label: '課', numeric: false },
    { key: 'department', label: '部局', numeric: false },
    { key: 'program', label: '取組', numeric: false },
  ],
};

export class DepartmentsTable {
  constructor(context) {
    this.context = context;
    this.rows = [];
    this.divisionRows = [];
    this.unitSelect = $('#departments-unit');
    this.departmentSelect = $('#departments-department');
    // default: the organization's order (department code), then program order
    this.sort = { key: null, direction: 'ascending' };
    this.table = $('#departments-table');
    this.programSelect = $('#departments-program');
    clear(this.programSelect).append(
      el('option', { value: '', text: 'すべての取組' }),
      ...context.programOrder.map((key) => el('option', { value: key, text: context.programByKey.get(key).label })),
    );
    this.programSelect.addEventListener('change', () => this.render());
    this.departmentSelect.addEventListener('change', () => this.render());
    this.unitSelect.addEventListener('change', () => {
      // a sort by a column the other unit lacks starts over
      if (this.sort.key && !this.columns().some((column) => column.key === this.sort.key)) this.sort = { key: null, direction: 'ascending' };
      this.renderHead();
      this.render();
    });
    this.renderHead();
  }

  /** After each login: the department filter, starting on the user's own department. */
  configure() {
    const { organization, me } = this.context;
    clear(this.departmentSelect).append(
      el('option', { value: '', text: 'すべての部局' }),
      ...organization.departments.map((department) => el('option', { value: department.code, text: department.name })),
    );
    this.departmentSelect.value = me.department?.code ?? '';
    this.unitSelect.value = me.department ? 'division' : 'department';
    this.sort = { key: null, direction: 'ascending' };
    this.renderHead();
  }

  get unit() {
    return this.unitSelect.value === 'division' ? 'division' : 'department';
  }

  columns() {
    return [...UNIT_COLUMNS[this.unit], ...COUNT_COLUMNS];
  }

  setRows(rows, divisionRows = []) {
    const withTarget = (row) => ({ ...row, target: row.total - row.excluded });
    this.rows = rows.map(withTarget);
    this.divisionRows = divisionRows.map(withTarget);
    this.render();
  }

  toggle(key) {
    const column = this.columns().find((candidate) => candidate.key === key);
    if (this.sort.key === key) this.sort.direction = this.sort.direction === 'ascending' ? 'descending' : 'ascending';
    else this.sort = { key, direction: column.numeric ? 'descending' : 'ascending' };
    this.renderHead();
    this.render();
    // keep focus on the header that was used, so sorting again is one more key press
    this.table.querySelector(`button[data-sort="${key}"]`)?.focus();
  }

  renderHead() {
    const head = this.table.tHead;
    clear(head).append(
      el(
        'tr',
        {},
        this.columns().map((column) => {
          const active = this.sort.key === column.key;
          return el(
            'th',
            { scope: 'col', class: column.numeric ? 'number' : undefined, 'aria-sort': active ? this.sort.direction : 'none' },
            el(
              'button',
              { type: 'button', class: 'sort-button', dataset: { sort: column.key }, onclick: () => this.toggle(column.key) },
              column.label,
              el('span', { class: 'sort-indicator', 'aria-hidden': 'true', text: active ? (this.sort.direction === 'ascending' ? '▲' : '▼') : '↕' }),
            ),
          );
        }),
      ),
    );
  }

  compare(a, b) {
    const order = this.context.programOrder;
    const natural =
      a.departmentCode.localeCompare(b.departmentCode) || (a.divisionCode ?? '').localeCompare(b.divisionCode ?? '') || order.indexOf(a.program) - order.indexOf(b.program);
    const { key, direction } = this.sort;
    if (!key) return natural;
    const value = (row) => (key === 'program' ? order.indexOf(row.program) : row[key]);
    const left = value(a);
    const right = value(b);
    // no percent (an empty inventory) always sorts last
    if (left === null && right === null) return natural;
    if (left === null) return 1;
    if (right === null) return -1;
    const result = typeof left === 'string' ? left.localeCompare(right, 'ja') : left - right;
    return (direction === 'ascending' ? result : -result) || natural;
  }

  render() {
    const body = this.table.tBodies[0];
    const program = this.programSelect.value;
    const department = this.departmentSelect.value;
    const source = this.unit === 'division' ? this.divisionRows : this.rows;
    const rows = source.filter((row) => (!program || row.program === program) && (!department || row.departmentCode === department)).sort((a, b) => this.compare(a, b));
    this.table.dataset.unit = this.unit;
    clear(body);
    if (!rows.length) {
      body.append(messageRow(this.columns().length, 'この条件の項目はありません。'));
      return;
    }
    for (const row of rows) {
      const bar = el('span', { class: 'mini-bar', 'aria-hidden': 'true' }, el('span'));
      bar.firstChild.style.width = `${row.percent ?? 0}%`;
      body.append(
        el(
          'tr',
          {},
          this.unit === 'division'
            ? [el('th', { scope: 'row', text: row.division }), el('td', { class: 'division', 'data-label': '部局', text: row.department })]
            : el('th', { scope: 'row', text: row.department }),
          el('td', { class: 'program', text: this.context.programByKey.get(row.program)?.label ?? row.program }),
          el('td', { class: 'number', 'data-label': '全件', text: number(row.total) }),
          el('td', { class: 'number', 'data-label': '対象外', text: number(row.excluded) }),
          el('td', { class: 'number', 'data-label': '対象（分母）', text: number(row.target) }),
          el('td', { class: 'number', 'data-label': '完了', text: number(row.done) }),
          el('td', { class: 'number', 'data-label': '報告済（確認待ち）', text: number(row.reported ?? 0) }),
          el('td', { class: 'number', 'data-label': '残り', text: number(row.remaining) }),
          el('td', { class: 'number nowrap', 'data-label': '進捗率' }, bar, percent(row.percent)),
        ),
      );
    }
  }
}
