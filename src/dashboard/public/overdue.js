import { $, clear, el, messageRow } from './dom.js';
import { number, wareki } from './format.js';

// The overdue list (GET /api/v1/progress/overdue): items still open past their own due date or
// past the deadline of a target that covers them, longest overdue first.

export const OVERDUE_LIMIT = 100;

/** After each login: the department filter, on the user's own department by default. */
export function configureOverdue({ organization, me }) {
  const select = clear($('#overdue-department'));
  select.append(
    el('option', { value: '', text: 'すべての部局' }),
    ...organization.departments.map((department) => el('option', { value: department.code, text: department.name })),
  );
  select.value = me.department?.code ?? '';
}

/** The overdue list's address for a date, with the chosen department. */
export function overduePath(asOf) {
  const department = $('#overdue-department').value;
  return `/api/v1/progress/overdue?asOf=${encodeURIComponent(asOf)}&limit=${OVERDUE_LIMIT}${department ? `&department=${encodeURIComponent(department)}` : ''}`;
}

function reasonText(reason) {
  if (reason.kind === 'dueOn') return `予定日（${wareki(reason.date)}）を過ぎています`;
  return `目標「${reason.label}」の期限（${reason.deadlineLabel}）を過ぎています`;
}

export function renderOverdue(report, { programByKey }) {
  const body = $('#overdue-table').tBodies[0];
  const summary = $('#overdue-summary');
  clear(body);
  const select = $('#overdue-department');
  const where = select.value ? `${select.selectedOptions[0]?.textContent ?? ''}の` : '';
  if (!report.total) {
    summary.textContent = `基準日 ${wareki(report.asOf)} に期限を過ぎた${where}項目はありません。`;
    body.append(messageRow(7, '期限超過の項目はありません。'));
    return;
  }
  summary.textContent =
    report.total > report.items.length
      ? `${where}期限超過 ${number(report.total)}件（超過の長い順に先頭${number(report.items.length)}件を表示。全件は進捗報告ワークブックの「期限超過」シートにあります）`
      : `${where}期限超過 ${number(report.total)}件（超過の長い順）`;
  for (const item of report.items) {
    body.append(
      el(
        'tr',
        { dataset: { code: item.code } },
        el('td', { class: 'nowrap', 'data-label': '期限', text: wareki(item.since) }),
        el('td', { class: 'nowrap code', text: item.code }),
        el('td', { class: 'name wide', text: item.name }),
        el('td', { class: 'nowrap', 'data-label': '取組', text: programByKey.get(item.program)?.label ?? item.program }),
        el('td', { class: 'division', 'data-label': '所管課', text: item.division.name }),
        el('td', { class: 'nowrap', 'data-label': '状況', text: item.statusLabel }),
        el('td', { class: 'reason wide', 'data-label': '理由' }, item.reasons.map((reason, index) => [index ? el('br') : null, reasonText(reason)])),
      ),
    );
  }
}

export function renderOverdueError(message) {
  $('#overdue-summary').textContent = `期限超過の一覧を読み込めませんでした: ${message}`;
  clear($('#overdue-table').tBodies[0]);
}
