import { ApiError, getJson, putJson } from './api.js';
import { $, announce, clear, el, messageRow } from './dom.js';
import { longMonth, percent, wareki } from './format.js';

// The 取組方針 view (GET /api/v1/reform): the policy's five areas and their initiatives as of the
// page's date, and the monthly report (月次報告) entry for the initiatives the user may report on.

const COLUMNS = 8;

function sourceText(initiative) {
  if (initiative.source === 'targets') return '手続の目標から';
  if (initiative.source === 'report') return initiative.reportMonth ? `${longMonth(initiative.reportMonth)}の報告` : '報告';
  if (initiative.source === 'none') return '未報告';
  if (initiative.source === 'done') return '完了';
  return '';
}

export class ReformPanel {
  constructor(context, reload) {
    this.context = context;
    this.reload = reload;
    this.editing = null;
    this.trigger = null;
    $('#report-form').addEventListener('submit', (event) => {
      event.preventDefault();
      void this.save();
    });
    $('#report-cancel').addEventListener('click', () => $('#report-dialog').close());
    $('#report-dialog').addEventListener('close', () => this.trigger?.focus());
  }

  /** The department code of a division name (the organization in force today). */
  departmentOf(divisionName) {
    for (const department of this.context.organization?.departments ?? []) {
      if (department.divisions.some((division) => division.name === divisionName)) return department.code;
    }
    return null;
  }

  canReport(initiative) {
    const me = this.context.me;
    if (!me) return false;
    if (me.role === 'admin') return true;
    return me.role === 'editor' && Boolean(me.department) && this.departmentOf(initiative.division) === me.department.code;
  }

  async load(asOf) {
    const report = await getJson(`/api/v1/reform?asOf=${encodeURIComponent(asOf)}`);
    this.render(report);
    return report;
  }

  render(report) {
    const total = report.areas.reduce((sum, area) => sum + area.initiatives.length, 0);
    const late = report.areas.reduce((sum, area) => sum + area.initiatives.filter((initiative) => initiative.overdue).length, 0);
    $('#reform-summary').textContent = total
      ? `方針全体 ${percent(report.overall.progress)}（${report.areas.length}分野・${total}取組、期限超過 ${late}件）`
      : '取組方針の取組が登録されていません。';
    $('#reform-print').href = `/report?asOf=${encodeURIComponent(report.asOf)}`;
    const table = $('#reform-table');
    for (const body of [...table.tBodies]) body.remove();
    report.areas.forEach((area, index) => {
      const body = el('tbody', {});
      body.append(
        el(
          'tr',
          { class: 'area-row' },
          el('th', { scope: 'rowgroup', colspan: 5, text: `（${index + 1}）${area.label}` }),
          el('td', { class: 'number', 'data-label': '分野の進捗' }, area.progress === null ? '—' : [el('progress', { max: 100, value: area.progress }), ` ${percent(area.progress)}`]),
          el('td', { colspan: 2 }),
        ),
      );
      if (!area.initiatives.length) body.append(messageRow(COLUMNS, 'この分野の取組はありません'));
      for (const initiative of area.initiatives) body.append(this.row(initiative));
      table.append(body);
    });
  }

  row(initiative) {
    const action = this.canReport(initiative)
      ? el('button', { type: 'button', class: 'button-secondary', text: '月次報告', 'aria-label': `${initiative.policyNo ?? initiative.code} ${initiative.shortName ?? initiative.name} の月次報告`, onclick: (event) => this.open(initiative, event.currentTarget) })
      : null;
    return el(
      'tr',
      { class: initiative.overdue ? 'overdue' : '', dataset: { code: initiative.code } },
      el('td', { class: 'nowrap', text: initiative.policyNo ?? initiative.code }),
      el('td', { class: 'name', title: initiative.name, text: initiative.shortName ?? initiative.name }),
      el('td', { class: 'division', 'data-label': '所管課', text: initiative.division }),
      el('td', { class: 'nowrap', 'data-label': '期限' }, initiative.dueOn ? wareki(initiative.dueOn) : '記載なし', initiative.overdue ? el('strong', { class: 'overdue-mark', text: ' 期限超過' }) : null),
      el('td', { class: 'nowrap', 'data-label': '状況', text: initiative.statusLabel }),
      el(
        'td',
        { class: 'number', 'data-label': '進捗' },
        initiative.progress === null ? '対象外' : [el('progress', { max: 100, value: initiative.progress }), ` ${percent(initiative.progress)}`],
        el('br'),
        el('small', { class: 'muted', text: `${sourceText(initiative)}${initiative.planned === null ? '' : `・計画 ${initiative.planned}%`}` }),
      ),
      el('td', { class: 'reason', 'data-label': '最新の報告', text: initiative.latestComment ?? '' }),
      el('td', {}, action),
    );
  }

  open(initiative, trigger) {
    this.editing = initiative;
    this.trigger = trigger;
    const month = (this.context.asOf ?? this.context.today).slice(0, 7);
    $('#report-target').textContent = `${initiative.policyNo ?? initiative.code} ${initiative.name}（${initiative.division}）`;
    $('#report-month').value = month;
    $('#report-month').max = this.context.today.slice(0, 7);
    $('#report-progress').value = initiative.source === 'report' && initiative.reportMonth === month ? String(initiative.progress) : '';
    $('#report-comment').value = initiative.source === 'report' && initiative.reportMonth === month ? initiative.latestComment ?? '' : '';
    $('#report-error').hidden = true;
    $('#report-dialog').showModal();
    $('#report-progress').focus();
  }

  async save() {
    const initiative = this.editing;
    if (!initiative) return;
    const month = $('#report-month').value;
    const progress = $('#report-progress').value.trim();
    const comment = $('#report-comment').value;
    $('#report-save').disabled = true;
    try {
      await putJson(`/api/v1/items/${initiative.id}/reports/${encodeURIComponent(month)}`, { progress: progress === '' ? null : Number(progress), comment });
      $('#report-dialog').close();
      announce(`${initiative.policyNo ?? initiative.code} の${longMonth(month)}の報告を保存しました`);
      await this.reload();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return;
      $('#report-error-text').textContent = error.message;
      $('#report-error').hidden = false;
    } finally {
      $('#report-save').disabled = false;
    }
  }
}

export function renderReformError(message) {
  $('#reform-summary').textContent = `取組方針の進捗を読み込めませんでした: ${message}`;
  const table = $('#reform-table');
  for (const body of [...table.tBodies]) body.remove();
  table.append(clear(el('tbody', {})));
}
