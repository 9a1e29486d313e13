import { ApiError, deleteJson, getJson, postJson, putJson } from './api.js';
import { $, announce, clear, el, messageRow } from './dom.js';
import { longMonth, monthRange, number, wareki } from './format.js';
import { currentView, goToView } from './views.js';

// The reform office's work (administrators): targets created and edited (deadline in 和暦 or
// ISO), the monthly plan as a month-by-month grid, a reorganization document checked (dry run,
// each change listed) before it is applied, and the audit log with the city's local times.

const NATIONAL_GROUPS = [
  ['', '（指定しない）'],
  ['mynumber27', 'マイナンバー27'],
  ['priority24', '優先24'],
  ['city', '市独自'],
];
const ACTION_LABELS = {
  import: '取り込み',
  export: '書き出し',
  reorganization: '組織改編',
  target_created: '目標の登録',
  target_updated: '目標の変更',
  plan_set: '月別計画の保存',
  volumes_import: '件数の取り込み',
  token_created: 'トークンの発行',
  token_revoked: 'トークンの失効',
  backup: 'バックアップ',
  user_created: '利用者の追加',
  user_updated: '利用者の変更',
  user_disabled: '利用者の無効化',
  password_set: 'パスワードの設定',
  password_reset: '仮パスワードの発行',
  password_changed: 'パスワードの変更',
  target_deleted: '目標の削除',
  monthly_report: '月次報告',
  monthly_plan_set: '取組の月別計画の保存',
  monthly_reports_import: '月次報告の取り込み',
  attachment_added: '根拠資料の添付',
  attachment_downloaded: '根拠資料のダウンロード',
  contacts_set: '課の連絡先の変更',
  reminder_sent: '督促メールの送信',
  reminder_failed: '督促メールの送信失敗',
  reminder_skipped: '督促メールの送り先なし',
  program_created: '取組の追加',
  program_updated: '取組の変更',
  completion_confirmed: '完了報告の確認',
  completion_returned: '完了報告の差戻し',
  survey_opened: '照会の開始',
  survey_answered: '照会への回答',
  survey_returned: '照会の回答の差戻し',
  survey_confirmed: '照会の回答の確認',
};
const isUnauthorized = (error) => error instanceof ApiError && error.status === 401;
/** 2026-11-24T10:00:00+09:00 → 2026/11/24 10:00:00 (the city's own clock, as the server gives it) */
const localText = (atLocal) => `${atLocal.slice(0, 10).replaceAll('-', '/')} ${atLocal.slice(11, 19)}`;

export class OfficePanel {
  constructor(context, onTargetsChanged) {
    this.context = context;
    this.onTargetsChanged = onTargetsChanged;
    this.targets = [];
    this.editing = null;
    this.reorgDocument = null;
    this.wire();
  }

  get enabled() {
    return this.context.me?.role === 'admin';
  }

  configure() {
    for (const entry of document.querySelectorAll('.view-nav [data-role="admin-only"]')) entry.hidden = !this.enabled;
    if (!this.enabled) {
      if (currentView() === 'office' || currentView() === 'users') goToView('progress');
      return;
    }
    const { programs, organization, today } = this.context;
    clear($('#target-program')).append(...programs.map((program) => el('option', { value: program.key, text: program.label })));
    clear($('#target-department')).append(
      el('option', { value: '', text: '（指定しない）' }),
      ...organization.departments.map((department) => el('option', { value: department.code, text: department.name })),
    );
    clear($('#target-group')).append(...NATIONAL_GROUPS.map(([value, text]) => el('option', { value, text })));
    // the action filter offers every action the log knows
    const actionSelect = $('#audit-action');
    if (actionSelect.options.length <= 1) {
      actionSelect.append(...Object.entries(ACTION_LABELS).map(([value, text]) => el('option', { value, text })));
    }
    $('#audit-to').value = today;
    $('#audit-from').value = `${today.slice(0, 8)}01`;
    this.resetTargetForm();
  }

  wire() {
    $('#target-form').addEventListener('submit', (event) => {
      event.preventDefault();
      void this.saveTarget();
    });
    $('#target-cancel').addEventListener('click', () => this.resetTargetForm());
    $('#target-program').addEventListener('change', () => this.updateScopeControls());
    $('#plan-target').addEventListener('change', () => void this.loadPlan());
    $('#plan-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.renderPlanGrid(this.currentPlanValues());
    });
    $('#plan-save').addEventListener('click', () => void this.savePlan());
    $('#plan-clear').addEventListener('click', () => void this.savePlan([]));
    $('#plan-sheet-form').addEventListener('submit', (event) => {
      event.preventDefault();
      void this.planSheet(true);
    });
    $('#plan-sheet-apply').addEventListener('click', () => void this.planSheet(false));
    $('#plan-sheet-file').addEventListener('change', () => this.resetPlanSheet());
    $('#plan-target').addEventListener('change', () => this.resetPlanSheet());
    $('#reorg-form').addEventListener('submit', (event) => {
      event.preventDefault();
      void this.reorganize(true);
    });
    $('#reorg-apply').addEventListener('click', () => void this.reorganize(false));
    $('#reorg-file').addEventListener('change', () => {
      this.reorgDocument = null;
      $('#reorg-apply').disabled = true;
      $('#reorg-result').hidden = true;
    });
    $('#audit-form').addEventListener('submit', (event) => {
      event.preventDefault();
      void this.loadAudit();
    });
  }

  /** Each time the view opens: the targets, the plan of the chosen target and the log. */
  async load() {
    if (!this.enabled) return;
    await Promise.all([this.loadTargets(), this.loadAudit()]);
  }

  // --- targets ---------------------------------------------------------------------------------

  async loadTargets() {
    try {
      const { targets } = await getJson('/api/v1/targets');
      this.targets = targets;
      this.renderTargets();
      const select = $('#plan-target');
      const chosen = select.value;
      clear(select).append(...targets.map((target) => el('option', { value: target.id, text: `${target.label}（${target.id}）` })));
      if (chosen && targets.some((target) => target.id === chosen)) select.value = chosen;
      await this.loadPlan();
    } catch (error) {
      if (!isUnauthorized(error)) $('#target-error').textContent = `目標を読み込めませんでした: ${error.message}`;
    }
  }

  scopeText(target) {
    const parts = [];
    const { scope } = target;
    if (scope.department) parts.push(this.context.organization.departments.find((department) => department.code === scope.department)?.name ?? scope.department);
    if (scope.nationalGroup) parts.push(NATIONAL_GROUPS.find(([value]) => value === scope.nationalGroup)?.[1] ?? scope.nationalGroup);
    if (scope.codes) parts.push(`管理番号${number(scope.codes.length)}件`);
    if (scope.fields) {
      const program = this.context.programByKey.get(target.program);
      for (const [key, value] of Object.entries(scope.fields)) {
        const field = program?.fields.find((candidate) => candidate.key === key);
        parts.push(`${field?.header ?? key}「${field?.choices?.find((choice) => choice.key === value)?.label ?? value}」`);
      }
    }
    return parts.length ? parts.join('・') : '取組のすべて';
  }

  renderTargets() {
    const body = clear($('#office-targets-table').tBodies[0]);
    if (!this.targets.length) body.append(messageRow(6, '目標はまだありません。'));
    for (const target of this.targets) {
      body.append(
        el(
          'tr',
          { dataset: { target: target.id } },
          el('td', { class: 'nowrap code', text: target.id }),
          el('td', { class: 'name wide', text: target.label }),
          el('td', { 'data-label': '取組', text: this.context.programByKey.get(target.program)?.label ?? target.program }),
          el('td', { 'data-label': '期限', text: target.deadlineLabel }),
          el('td', { 'data-label': '範囲', text: this.scopeText(target) }),
          el(
            'td',
            { class: 'wide' },
            el(
              'div',
              { class: 'actions' },
              el('button', { type: 'button', class: 'button-small button-secondary', 'aria-label': `${target.id}を編集`, onclick: () => this.editTarget(target), text: '編集' }),
              el('button', { type: 'button', class: 'button-small button-secondary', 'aria-label': `${target.id}を削除`, onclick: () => void this.deleteTarget(target), text: '削除' }),
            ),
          ),
        ),
      );
    }
  }

  /** The choice columns a target of this program may be limited to (scope.fields: one choice per column). */
  scopeFieldsOf(programKey) {
    const program = this.context.programByKey.get(programKey);
    // オンライン化's 国の区分 has its own control (scope.nationalGroup)
    return (program?.fields ?? []).filter((field) => field.kind === 'choice' && field.choices?.length && !(programKey === 'online' && field.key === 'nationalGroup'));
  }

  /**
   * The controls that depend on the program: 国の区分 (オンライン化 only) and one select per choice
   * column of the program's definition, so an added program gets its columns with no page change.
   */
  updateScopeControls(values = {}) {
    const programKey = $('#target-program').value;
    const online = programKey === 'online';
    // 国の区分 exists only in オンライン化 (the API refuses it elsewhere)
    $('#target-group').disabled = !online;
    $('#target-group-field').hidden = !online;
    if (!online) $('#target-group').value = '';
    const fields = this.scopeFieldsOf(programKey);
    const container = clear($('#target-field-selects'));
    $('#target-fields').hidden = !fields.length;
    $('#target-fields legend').textContent = `範囲: ${this.context.programByKey.get(programKey)?.label ?? ''}の列の値`;
    for (const field of fields) {
      const id = `target-field-${field.key}`;
      const value = values[field.key] ?? '';
      const known = field.choices.some((choice) => choice.key === value);
      container.append(
        el(
          'div',
          { class: 'field' },
          el('label', { for: id, text: `範囲: ${field.header}` }),
          el(
            'select',
            { id, dataset: { field: field.key } },
            el('option', { value: '', text: '（指定しない）' }),
            field.choices.map((choice) => el('option', { value: choice.key, text: choice.label, selected: choice.key === value })),
            // a stored choice the definition no longer lists: shown as it is, so saving does not drop it unseen
            value && !known ? el('option', { value, text: value, selected: true }) : null,
          ),
        ),
      );
    }
  }

  /** scope.fields from the selects, plus any stored key the form has no control for (kept as it is). */
  scopeFieldsValue() {
    const fields = {};
    const shown = new Set();
    for (const select of $('#target-field-selects').querySelectorAll('select[data-field]')) {
      shown.add(select.dataset.field);
      if (select.value) fields[select.dataset.field] = select.value;
    }
    for (const [key, value] of Object.entries(this.editing?.scope.fields ?? {})) if (!shown.has(key)) fields[key] = value;
    return Object.keys(fields).length ? fields : null;
  }

  resetTargetForm() {
    this.editing = null;
    $('#target-form').reset();
    $('#target-id').disabled = false;
    $('#target-program').disabled = false;
    $('#target-form-title').textContent = '目標を追加';
    $('#target-save').textContent = '目標を登録する';
    $('#target-cancel').hidden = true;
    $('#target-error').textContent = '';
    this.updateScopeControls();
  }

  editTarget(target) {
    this.editing = target;
    $('#target-id').value = target.id;
    $('#target-id').disabled = true;
    $('#target-program').value = target.program;
    $('#target-program').disabled = true;
    $('#target-label').value = target.label;
    $('#target-deadline').value = target.deadlineLabel;
    $('#target-department').value = target.scope.department ?? '';
    $('#target-group').value = target.scope.nationalGroup ?? '';
    $('#target-codes').value = (target.scope.codes ?? []).join('\n');
    $('#target-form-title').textContent = `目標を変更: ${target.id}`;
    $('#target-save').textContent = '変更を保存';
    $('#target-cancel').hidden = false;
    $('#target-error').textContent = '';
    this.updateScopeControls(target.scope.fields ?? {});
    $('#target-label').focus();
  }

  targetBody() {
    const scope = {};
    if ($('#target-department').value) scope.department = $('#target-department').value;
    if ($('#target-group').value) scope.nationalGroup = $('#target-group').value;
    const codes = $('#target-codes')
      .value.split(/[\s,、，]+/u)
      .map((code) => code.trim())
      .filter(Boolean);
    if (codes.length) scope.codes = codes;
    const fields = this.scopeFieldsValue();
    if (fields) scope.fields = fields;
    const body = { label: $('#target-label').value.trim(), deadline: $('#target-deadline').value.trim(), scope };
    if (!this.editing) Object.assign(body, { id: $('#target-id').value.trim(), program: $('#target-program').value });
    return body;
  }

  async saveTarget() {
    $('#target-error').textContent = '';
    const button = $('#target-save');
    button.disabled = true;
    try {
      const saved = this.editing ? await putJson(`/api/v1/targets/${encodeURIComponent(this.editing.id)}`, this.targetBody()) : await postJson('/api/v1/targets', this.targetBody());
      announce(this.editing ? `目標「${saved.label}」を変更しました（期限 ${saved.deadlineLabel}）` : `目標「${saved.label}」を登録しました（期限 ${saved.deadlineLabel}）`);
      this.resetTargetForm();
      await Promise.all([this.loadTargets(), this.onTargetsChanged()]);
    } catch (error) {
      if (!isUnauthorized(error)) $('#target-error').textContent = error.message;
    } finally {
      button.disabled = false;
    }
  }

  /** A target made by mistake; one with a monthly plan is refused (the server says how to remove the plan first). */
  async deleteTarget(target) {
    if (!window.confirm(`目標「${target.label}」（${target.id}）を削除します。よろしいですか。`)) return;
    $('#target-error').textContent = '';
    try {
      await deleteJson(`/api/v1/targets/${encodeURIComponent(target.id)}`);
      announce(`目標「${target.label}」を削除しました`);
      if (this.editing?.id === target.id) this.resetTargetForm();
      await Promise.all([this.loadTargets(), this.onTargetsChanged()]);
    } catch (error) {
      if (isUnauthorized(error)) return;
      $('#target-error').textContent =
        error.code === 'target_in_use' ? `目標「${target.label}」には月別計画があるため削除できません。先に「月別計画」でこの目標の計画を削除してください。` : error.message;
    }
  }

  // --- monthly plan ----------------------------------------------------------------------------

  currentTarget() {
    return this.targets.find((target) => target.id === $('#plan-target').value) ?? null;
  }

  async loadPlan() {
    const target = this.currentTarget();
    $('#plan-error').textContent = '';
    if (!target) {
      clear($('#plan-grid').tBodies[0]);
      return;
    }
    try {
      const plan = await getJson(`/api/v1/targets/${encodeURIComponent(target.id)}/plan`);
      const values = new Map(plan.months.map((month) => [month.month, month.planned]));
      // default span: the plan's own months, else this fiscal year's April to the deadline's month
      const today = this.context.today;
      const fiscalStart = `${Number(today.slice(5, 7)) >= 4 ? today.slice(0, 4) : Number(today.slice(0, 4)) - 1}-04`;
      const deadlineMonth = target.deadline.slice(0, 7);
      $('#plan-from').value = plan.months[0]?.month ?? (fiscalStart <= deadlineMonth ? fiscalStart : deadlineMonth);
      $('#plan-to').value = plan.months.at(-1)?.month ?? deadlineMonth;
      this.renderPlanGrid(values);
    } catch (error) {
      if (!isUnauthorized(error)) $('#plan-error').textContent = `計画を読み込めませんでした: ${error.message}`;
    }
  }

  currentPlanValues() {
    const values = new Map();
    for (const input of $('#plan-grid').querySelectorAll('input[data-month]')) {
      if (input.value.trim() !== '') values.set(input.dataset.month, Number(input.value));
    }
    return values;
  }

  renderPlanGrid(values) {
    const from = $('#plan-from').value;
    const to = $('#plan-to').value;
    const body = clear($('#plan-grid').tBodies[0]);
    if (!from || !to || from > to) {
      $('#plan-error').textContent = '最初の月と最後の月を正しく選んでください。';
      return;
    }
    $('#plan-error').textContent = '';
    const target = this.currentTarget();
    const deadlineMonth = target?.deadline.slice(0, 7);
    for (const month of monthRange(from, to)) {
      const id = `plan-month-${month}`;
      const late = deadlineMonth && month > deadlineMonth;
      body.append(
        el(
          'tr',
          { dataset: { month }, class: late ? 'after-deadline' : undefined },
          el('th', { scope: 'row' }, el('label', { for: id, text: `${longMonth(month)}${late ? '（期限後）' : ''}` })),
          el('td', { class: 'number' }, el('input', { id, type: 'number', min: 0, step: 1, inputmode: 'numeric', value: values.get(month) ?? '', dataset: { month }, oninput: () => this.updateCumulative() })),
          el('td', { class: 'number', dataset: { role: 'cumulative' } }),
        ),
      );
    }
    this.updateCumulative();
  }

  updateCumulative() {
    let total = 0;
    for (const row of $('#plan-grid').tBodies[0].rows) {
      const value = Number(row.querySelector('input').value || 0);
      total += Number.isFinite(value) ? value : 0;
      row.querySelector('[data-role="cumulative"]').textContent = number(total);
    }
    const months = $('#plan-grid').tBodies[0].rows.length;
    $('#plan-summary').textContent = months ? `${number(months)}か月、計画の合計 ${number(total)}件` : '';
  }

  async savePlan(months) {
    const target = this.currentTarget();
    if (!target) return;
    const body = {
      months:
        months ??
        [...$('#plan-grid').querySelectorAll('input[data-month]')]
          .filter((input) => input.value.trim() !== '')
          .map((input) => ({ month: input.dataset.month, planned: Number(input.value) })),
    };
    $('#plan-error').textContent = '';
    try {
      const saved = await putJson(`/api/v1/targets/${encodeURIComponent(target.id)}/plan`, body);
      announce(saved.months.length ? `「${target.label}」の月別計画を保存しました（${number(saved.months.length)}か月、合計${number(saved.totalPlanned)}件）` : `「${target.label}」の月別計画を削除しました`);
      await Promise.all([this.loadPlan(), this.onTargetsChanged()]);
    } catch (error) {
      if (!isUnauthorized(error)) $('#plan-error').textContent = error.message;
    }
  }

  resetPlanSheet() {
    this.planSheetChecked = null;
    $('#plan-sheet-apply').disabled = true;
    $('#plan-sheet-result').hidden = true;
  }

  /** A 月・計画件数 sheet: checked first (nothing saved), then the same bytes saved. */
  async planSheet(dryRun) {
    const target = this.currentTarget();
    const show = (text, state, lines = []) => {
      $('#plan-sheet-result').hidden = false;
      $('#plan-sheet-result').dataset.state = state;
      $('#plan-sheet-text').textContent = text;
      clear($('#plan-sheet-errors')).append(...lines.map((line) => el('li', { text: line })));
    };
    let sheet = this.planSheetChecked;
    if (dryRun) {
      const file = $('#plan-sheet-file').files?.[0];
      if (!file || !target) {
        show('目標と計画シートを選んでください。', 'error');
        return;
      }
      sheet = { name: file.name, bytes: new Blob([await file.arrayBuffer()], { type: file.type }), target: target.id };
    }
    if (!sheet) return;
    const form = new FormData();
    form.append('file', sheet.bytes, sheet.name);
    $('#plan-sheet-apply').disabled = true;
    try {
      const result = await postJson(`/api/v1/targets/${encodeURIComponent(sheet.target)}/plan/sheet?dryRun=${dryRun}`, form);
      const { summary } = result;
      if (dryRun) {
        this.planSheetChecked = sheet;
        $('#plan-sheet-apply').disabled = false;
        show(`確認しました: ${number(summary.months)}か月、合計${number(summary.totalPlanned)}件。「シートの計画を保存」を押すと、いまの計画と置き換えます。`, 'checked');
      } else {
        this.planSheetChecked = null;
        show(`保存しました: ${number(summary.months)}か月、合計${number(summary.totalPlanned)}件。`, 'applied');
        announce('月別計画をシートから保存しました');
        await Promise.all([this.loadPlan(), this.onTargetsChanged()]);
      }
    } catch (error) {
      if (isUnauthorized(error)) return;
      const errors = error instanceof ApiError && error.body?.errors ? error.body.errors : [];
      show(errors.length ? `誤りが${number(error.body.summary.errors)}件あります。何も保存していません。` : error.message, 'error', errors.map((row) => `行${row.row} 列「${row.column}」 値「${row.value}」: ${row.message}`));
    }
  }

  // --- reorganization --------------------------------------------------------------------------

  async reorganize(dryRun) {
    const result = $('#reorg-result');
    const show = (text, state, changes = []) => {
      result.hidden = false;
      result.dataset.state = state;
      $('#reorg-result-text').textContent = text;
      clear($('#reorg-changes')).append(...changes.map((line) => el('li', { text: line })));
    };
    let document = this.reorgDocument;
    if (dryRun) {
      const file = $('#reorg-file').files?.[0];
      if (!file) {
        show('改編ファイルを選んでください。', 'error');
        return;
      }
      try {
        document = JSON.parse(await file.text());
      } catch {
        show(`「${file.name}」は JSON として読めません。`, 'error');
        return;
      }
    }
    if (!document) return;
    $('#reorg-apply').disabled = true;
    try {
      const answer = await postJson(`/api/v1/reorganizations?dryRun=${dryRun}`, document);
      const when = wareki(answer.effectiveOn);
      if (dryRun) {
        this.reorgDocument = document;
        $('#reorg-apply').disabled = false;
        show(`確認しました（適用日 ${when}）。「改編を適用する」を押すと次のとおり変わります。まだ何も変更していません。`, 'checked', answer.changes ?? []);
      } else {
        this.reorgDocument = null;
        show(`組織改編を適用しました（適用日 ${when}、移った項目 ${number(answer.summary.itemsMoved)}件）。`, 'applied', answer.changes ?? []);
        announce('組織改編を適用しました');
        await this.onTargetsChanged({ organization: true });
      }
    } catch (error) {
      if (isUnauthorized(error)) return;
      const problems = Array.isArray(error.details) ? error.details.map((problem) => `${problem.entry}: ${problem.message}`) : [];
      show(error.message, 'error', problems);
    }
  }

  // --- audit log -------------------------------------------------------------------------------

  async loadAudit() {
    const parameters = new URLSearchParams();
    for (const [name, selector] of [
      ['from', '#audit-from'],
      ['to', '#audit-to'],
      ['action', '#audit-action'],
      ['by', '#audit-by'],
    ]) {
      const value = $(selector).value.trim();
      if (value) parameters.set(name, value);
    }
    const body = clear($('#audit-table').tBodies[0]);
    try {
      const { entries, timeZone } = await getJson(`/api/v1/audit?${parameters}`);
      const newestFirst = [...entries].reverse();
      $('#audit-summary').textContent = `${number(entries.length)}件（新しい順。日時は${timeZone === 'Asia/Tokyo' ? '日本時間' : timeZone}）`;
      if (!entries.length) body.append(messageRow(4, 'この条件の記録はありません。'));
      for (const entry of newestFirst.slice(0, 500)) {
        body.append(
          el(
            'tr',
            { dataset: { action: entry.action } },
            el('td', { class: 'nowrap', 'data-label': '日時', text: localText(entry.atLocal ?? entry.at) }),
            el('td', { 'data-label': '利用者', text: entry.by }),
            el('td', { 'data-label': '操作', text: ACTION_LABELS[entry.action] ?? entry.action }),
            el('td', { class: 'wide audit-detail', text: detailText(entry) }),
          ),
        );
      }
    } catch (error) {
      if (!isUnauthorized(error)) $('#audit-summary').textContent = `記録を読み込めませんでした: ${error.message}`;
    }
  }
}

/** The entry's detail in a line a person reads (file, program, counts), else its JSON. */
function detailText(entry) {
  const detail = entry.detail ?? {};
  const parts = [];
  if (detail.file) parts.push(`ファイル「${detail.file}」`);
  if (detail.program) parts.push(`取組 ${detail.program}`);
  if (detail.kind) parts.push(`種類 ${detail.kind}`);
  if (detail.id) parts.push(`目標 ${detail.id}`);
  if (detail.target) parts.push(`目標 ${detail.target}`);
  if (typeof detail.months === 'number') parts.push(`${detail.months}か月・合計${detail.totalPlanned ?? 0}件`);
  if (detail.name && detail.role) parts.push(`利用者 ${detail.name}（${detail.role}${detail.department ? `・${detail.department}` : ''}）`);
  if (detail.deadline) parts.push(`期限 ${detail.deadline}`);
  if (detail.after?.deadline) parts.push(`期限 ${detail.before?.deadline ?? ''} → ${detail.after.deadline}`);
  if (detail.effectiveOn) parts.push(`適用日 ${detail.effectiveOn}`);
  if (typeof detail.division === 'string') parts.push(`課 ${detail.division}`);
  if (Array.isArray(detail.after) && entry.action === 'contacts_set') parts.push(`連絡先 ${detail.after.length ? detail.after.join('、') : 'なし'}`);
  if (detail.survey) parts.push(`照会 ${detail.survey}`);
  if (detail.reason) parts.push(`理由 ${detail.reason}`);
  if (typeof detail.count === 'number') parts.push(`${detail.count}件`);
  if (detail.summary && typeof detail.summary === 'object') {
    const summary = detail.summary;
    if ('created' in summary) parts.push(`新規 ${summary.created}・更新 ${summary.updated}・変更なし ${summary.unchanged}・誤り ${summary.errors}`);
  }
  if (detail.dryRun) parts.push('確認のみ');
  if ('applied' in detail && !detail.applied && !detail.dryRun) parts.push('誤りのため書き込みなし');
  return parts.length ? parts.join(' ／ ') : JSON.stringify(detail);
}

