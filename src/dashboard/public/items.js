import { ApiError, getJson, patchJson, postJson } from './api.js';
import { BulkDialog } from './bulk.js';
import { $, announce, clear, el, messageRow, showError } from './dom.js';
import { number, timestamp, wareki } from './format.js';
import { ItemForm } from './item-form.js';
import { askReason } from './return-dialog.js';
import { AttachmentsDialog } from './attachments.js';

// Items: the filtered, paged list, and for editors and admins the status change (state, date,
// note) with the item's version, so a change made by someone else in between is caught (409).

const PAGE_SIZE = 20;
export const CONFLICT_MESSAGE = '他の人が先に更新しました。再読み込みしてください';

/** Which dialog input shows a problem the API reports for a field. */
const FIELD_INPUTS = { status: '#edit-status', completedOn: '#edit-completed', effectiveOn: '#edit-effective', note: '#edit-note', legalBasis: '#edit-legal' };

export class ItemsPanel {
  /** `context` holds the session (me, programs, organization, today); wiring happens once. */
  constructor(context, onChanged) {
    this.context = context;
    this.onChanged = onChanged;
    this.page = 1;
    this.editing = null;
    this.requestNumber = 0;
    /** The selection for 「一括変更」: ids picked one by one, or every item the filter matches. */
    this.selection = { mode: 'ids', program: null, ids: new Map(), count: 0 };
    this.bulk = new BulkDialog(context, this);
    this.form = new ItemForm(context, (saved) => this.afterSaved(saved));
    this.attachments = new AttachmentsDialog(context);
    this.wire();
  }

  get me() {
    return this.context.me;
  }

  get programByKey() {
    return this.context.programByKey;
  }

  /** After each login: the selects for this user's programs and organization. */
  configure() {
    clear($('#filter-program')).append(...this.context.programs.map((program) => el('option', { value: program.key, text: program.label })));
    clear($('#filter-department')).append(
      el('option', { value: '', text: 'すべての部局' }),
      ...this.context.organization.departments.map((department) => el('option', { value: department.code, text: department.name })),
    );
    this.resetFilters();
    this.clearSelection();
    const canEdit = this.me.canEdit;
    $('#item-add').hidden = !canEdit;
    $('#bulk-open').hidden = !canEdit;
    $('#selection-clear').hidden = !canEdit;
    document.querySelector('#items-section [data-role="select-all"]').hidden = !canEdit;
    $('#select-all-hint').hidden = !canEdit;
    document.querySelector('#items-table [data-role="select-column"]').hidden = !canEdit;
  }

  wire() {
    $('#select-all').addEventListener('change', (event) => this.selectAll(event.currentTarget.checked));
    $('#selection-clear').addEventListener('click', () => {
      this.clearSelection();
      announce('選択を解除しました');
    });
    $('#bulk-open').addEventListener('click', (event) => this.bulk.open(event.currentTarget));
    $('#item-add').addEventListener('click', (event) => this.form.openCreate($('#filter-program').value, event.currentTarget));
    const programSelect = $('#filter-program');
    const departmentSelect = $('#filter-department');
    programSelect.addEventListener('change', () => {
      this.fillStatusOptions();
      this.search();
    });
    departmentSelect.addEventListener('change', () => {
      this.fillDivisionOptions();
      this.search();
    });
    $('#filter-status').addEventListener('change', () => this.search());
    $('#filter-reported').addEventListener('change', () => this.search());
    $('#items-confirm-all').addEventListener('click', (event) => void this.confirmAll(event.currentTarget));
    $('#filter-division').addEventListener('change', () => this.search());
    $('#items-filter').addEventListener('submit', (event) => {
      event.preventDefault();
      this.search();
    });
    $('#filter-reset').addEventListener('click', () => {
      this.resetFilters();
      this.search();
    });
    $('#items-prev').addEventListener('click', () => this.goTo(this.page - 1));
    $('#items-next').addEventListener('click', () => this.goTo(this.page + 1));

    $('#edit-status').addEventListener('change', () => this.updateEditFields());
    $('#edit-form').addEventListener('submit', (event) => {
      event.preventDefault();
      void this.save();
    });
    $('#edit-cancel').addEventListener('click', () => this.closeEdit());
    $('#edit-reload').addEventListener('click', () => void this.reloadEditing());
    $('#edit-dialog').addEventListener('close', () => this.afterEditClosed());
    $('#history-close').addEventListener('click', () => $('#history-dialog').close());
    $('#history-dialog').addEventListener('close', () => this.historyTrigger?.focus());
  }

  /** Editors start on their own department's items, everyone else on everything. */
  resetFilters() {
    $('#filter-program').value = this.context.programs[0].key;
    $('#filter-department').value = this.me.role === 'editor' && this.me.department ? this.me.department.code : '';
    $('#filter-q').value = '';
    $('#filter-reported').checked = false;
    this.fillStatusOptions();
    this.fillDivisionOptions();
  }

  fillStatusOptions() {
    const program = this.programByKey.get($('#filter-program').value);
    // 報告済 exists only where completions wait for the office's confirmation
    $('#filter-reported-field').hidden = !program.confirmDone;
    if (!program.confirmDone) $('#filter-reported').checked = false;
    clear($('#filter-status')).append(
      el('option', { value: '', text: 'すべての状況' }),
      ...program.states.map((state) => el('option', { value: state.key, text: state.label })),
    );
  }

  fillDivisionOptions() {
    const department = $('#filter-department').value;
    const departments = this.context.organization.departments.filter((candidate) => !department || candidate.code === department);
    const select = clear($('#filter-division'));
    select.append(el('option', { value: '', text: 'すべての課' }));
    for (const entry of departments) {
      if (!entry.divisions.length) continue;
      select.append(el('optgroup', { label: entry.name }, entry.divisions.map((division) => el('option', { value: division.code, text: division.name }))));
    }
  }

  search() {
    this.page = 1;
    // another filter, another list: what was selected in the old one is no longer shown
    this.clearSelection();
    return this.load();
  }

  // --- selection -------------------------------------------------------------------------------

  /** The list's current filter as the bulk API takes it, and in words for the dialog. */
  currentFilter() {
    const filter = {};
    const words = [];
    for (const [name, selector] of [
      ['status', '#filter-status'],
      ['department', '#filter-department'],
      ['division', '#filter-division'],
      ['q', '#filter-q'],
    ]) {
      const input = $(selector);
      const value = input.value.trim();
      if (!value) continue;
      filter[name] = value;
      words.push(input.tagName === 'SELECT' ? input.selectedOptions[0]?.textContent ?? value : `「${value}」を含む`);
    }
    return { filter, description: words.length ? `条件: ${words.join('・')}` : '条件なし（この取組のすべての項目）' };
  }

  clearSelection() {
    this.selection = { mode: 'ids', program: $('#filter-program').value || null, ids: new Map(), count: 0 };
    $('#select-all').checked = false;
    for (const box of document.querySelectorAll('#items-table input[data-role="select"]')) box.checked = false;
    this.renderSelection();
  }

  selectAll(checked) {
    if (!checked) {
      this.clearSelection();
      announce('選択を解除しました');
      return;
    }
    const { filter, description } = this.currentFilter();
    this.selection = { mode: 'filter', program: $('#filter-program').value, filter, description, count: this.total ?? 0, ids: new Map() };
    for (const box of document.querySelectorAll('#items-table input[data-role="select"]:not(:disabled)')) box.checked = true;
    this.renderSelection();
    announce(`条件に合う${number(this.selection.count)}件をすべて選択しました`);
  }

  toggleRow(item, checked) {
    if (this.selection.mode === 'filter') {
      // leaving "all": keep what is ticked on this page
      const ids = new Map();
      for (const box of document.querySelectorAll('#items-table input[data-role="select"]:checked')) ids.set(Number(box.dataset.id), box.dataset.code);
      this.selection = { mode: 'ids', program: $('#filter-program').value, ids, count: ids.size };
      $('#select-all').checked = false;
    } else if (checked) {
      this.selection.ids.set(item.id, item.code);
    } else {
      this.selection.ids.delete(item.id);
    }
    this.selection.program = $('#filter-program').value;
    this.selection.count = this.selection.ids.size;
    this.renderSelection();
  }

  renderSelection() {
    const { count, mode } = this.selection;
    $('#selection-summary').textContent = !count
      ? ''
      : mode === 'filter'
        ? `条件に合う${number(count)}件すべてを選択中`
        : `${number(count)}件を選択中${count > this.pageCount ? '（ほかのページの選択を含む）' : ''}`;
    $('#bulk-open').disabled = !count;
    $('#selection-clear').disabled = !count;
  }

  async afterBulkChange() {
    await Promise.all([this.load(), this.onChanged()]);
  }

  async afterSaved(saved) {
    if (saved && saved.program !== $('#filter-program').value) {
      $('#filter-program').value = saved.program;
      this.fillStatusOptions();
    }
    await Promise.all([this.load(), this.onChanged()]);
    const row = saved ? $(`#items-table tr[data-id="${saved.id}"]`) : null;
    row?.querySelector('button')?.focus();
  }

  /** Open on the as-of day (today), past its own 予定日 or a covering target's deadline. */
  isOverdue(item, program) {
    const state = program.states.find((candidate) => candidate.key === item.status);
    if (state?.done || state?.excluded) return null;
    const today = this.context.today;
    if (item.dueOn && item.dueOn < today) return `予定日（${wareki(item.dueOn)}）を過ぎています`;
    for (const target of this.context.targets ?? []) {
      if (target.program !== item.program || target.deadline >= today) continue;
      const scope = target.scope ?? {};
      if (scope.nationalGroup && item.nationalGroup !== scope.nationalGroup) continue;
      if (scope.department && item.department.code !== scope.department) continue;
      if (scope.codes && !scope.codes.includes(item.code)) continue;
      // a scope on a program's own choice fields (programs as data)
      if (scope.fields && Object.entries(scope.fields).some(([key, value]) => item[key] !== value)) continue;
      return `目標「${target.label}」の期限（${target.deadlineLabel}）を過ぎています`;
    }
    return null;
  }

  goTo(page) {
    this.page = Math.max(1, page);
    return this.load().then(() => $('#items-title').scrollIntoView({ block: 'start' }));
  }

  query() {
    const parameters = new URLSearchParams({ page: String(this.page), pageSize: String(PAGE_SIZE) });
    for (const [name, selector] of [
      ['status', '#filter-status'],
      ['department', '#filter-department'],
      ['division', '#filter-division'],
      ['q', '#filter-q'],
    ]) {
      const value = $(selector).value.trim();
      if (value) parameters.set(name, value);
    }
    if ($('#filter-reported').checked) parameters.set('reported', 'true');
    return `/api/v1/programs/${encodeURIComponent($('#filter-program').value)}/items?${parameters}`;
  }

  async load() {
    const request = ++this.requestNumber;
    const summary = $('#items-summary');
    summary.textContent = '読み込んでいます…';
    try {
      const result = await getJson(this.query());
      // a slower answer to an older filter must not overwrite a newer one
      if (request !== this.requestNumber) return;
      this.render(result);
    } catch (error) {
      if (request !== this.requestNumber || (error instanceof ApiError && error.status === 401)) return;
      summary.textContent = `一覧を読み込めませんでした: ${error.message}`;
      clear($('#items-table').tBodies[0]);
    }
  }

  canEdit(item) {
    if (!this.me.canEdit) return false;
    return this.me.role === 'admin' || item.department.code === this.me.department?.code;
  }

  render(result) {
    this.total = result.total;
    this.pageCount = result.items.length;
    if (this.selection.mode === 'filter') {
      // the filter's count as it stands now (the dialog asks the server to check it again)
      this.selection.count = result.total;
      this.renderSelection();
    }
    const body = clear($('#items-table').tBodies[0]);
    const selectable = this.me.canEdit;
    const columns = selectable ? 8 : 7;
    const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
    const first = result.total ? (result.page - 1) * result.pageSize + 1 : 0;
    const last = Math.min(result.total, result.page * result.pageSize);
    $('#items-summary').textContent = result.total ? `${number(result.total)}件中 ${number(first)}〜${number(last)}件を表示` : '条件に合う項目はありません。';
    $('#items-page').textContent = `${result.page} / ${pages} ページ`;
    $('#items-prev').disabled = result.page <= 1;
    $('#items-next').disabled = result.page >= pages;
    this.showConfirmBar();
    if (!result.items.length) {
      body.append(messageRow(columns, '条件に合う項目はありません。'));
      return;
    }
    const program = this.programByKey.get(result.items[0].program);
    for (const item of result.items) {
      const state = program.states.find((candidate) => candidate.key === item.status);
      const pillClass = state?.done ? 'status-pill status-done' : state?.excluded ? 'status-pill status-excluded' : 'status-pill';
      const actions = el('div', { class: 'actions' });
      const editable = this.canEdit(item);
      if (editable) {
        actions.append(
          el('button', { type: 'button', class: 'button-small', 'aria-label': `${item.code}の状況を変更`, onclick: (event) => this.openEdit(item, event.currentTarget), text: '変更' }),
          el('button', { type: 'button', class: 'button-small button-secondary', 'aria-label': `${item.code}を編集`, onclick: (event) => this.form.openEdit(item, event.currentTarget), text: '編集' }),
        );
      }
      const overdue = this.isOverdue(item, program);
      const selected = this.selection.mode === 'filter' ? editable : this.selection.ids.has(item.id);
      const selectCell = selectable
        ? el(
            'td',
            { class: 'select-cell' },
            el('input', {
              type: 'checkbox',
              'aria-label': '選択',
              'aria-describedby': `item-code-${item.id}`,
              dataset: { role: 'select', id: item.id, code: item.code },
              checked: selected,
              disabled: !editable,
              title: editable ? undefined : '所属部局の項目ではないため選べません',
              onchange: (event) => this.toggleRow(item, event.currentTarget.checked),
            }),
          )
        : null;
      if (item.reported && this.me.role === 'admin') {
        actions.append(
          el('button', { type: 'button', class: 'button-small', 'aria-label': `${item.code}の完了報告を確認`, onclick: (event) => void this.settle(item, 'confirm', event.currentTarget), text: '確認' }),
          el('button', { type: 'button', class: 'button-small button-secondary', 'aria-label': `${item.code}の完了報告を差し戻す`, onclick: (event) => void this.settle(item, 'return', event.currentTarget), text: '差戻し' }),
        );
      }
      actions.append(
        el('button', { type: 'button', class: 'button-small button-secondary', 'aria-label': `${item.code}の変更履歴`, onclick: (event) => void this.openHistory(item, event.currentTarget), text: '履歴' }),
        // evidence files: listed and downloaded by anyone who reads the item, attached by its editors
        el('button', { type: 'button', class: 'button-small button-secondary', 'aria-label': `${item.code}の根拠資料`, onclick: (event) => void this.attachments.open(item, event.currentTarget, editable), text: '根拠資料' }),
      );
      body.append(
        el(
          'tr',
          { dataset: overdue ? { code: item.code, id: item.id, overdue: 'true' } : { code: item.code, id: item.id }, class: overdue ? 'overdue-row' : undefined },
          selectCell,
          el('td', { class: 'nowrap code', id: `item-code-${item.id}`, text: item.code }),
          el('td', { class: 'name wide', text: item.name }),
          el('td', { class: 'division', 'data-label': '所管課', text: item.division.name }),
          el(
            'td',
            { 'data-label': '状況' },
            el('span', { class: pillClass, dataset: { role: 'status' }, text: item.statusLabel }),
            item.reported ? el('span', { class: 'reported-pill', title: `${timestamp(item.reported.at)} ${item.reported.by} が報告`, text: '報告済（確認待ち）' }) : null,
            overdue ? el('span', { class: 'overdue-flag', dataset: { role: 'overdue' }, title: overdue, text: '期限超過' }) : null,
            overdue ? el('span', { class: 'visually-hidden', text: `（${overdue}）` }) : null,
          ),
          el('td', { class: 'nowrap', 'data-label': '予定日', text: item.dueOn ? wareki(item.dueOn) : '—' }),
          el('td', { class: 'nowrap', 'data-label': '完了日', text: item.completedOn ? wareki(item.completedOn) : '—' }),
          el('td', { class: 'wide' }, actions),
        ),
      );
    }
  }

  // --- confirmation of reported completions (admins) -------------------------------------------

  showConfirmBar() {
    const program = this.programByKey.get($('#filter-program').value);
    $('#items-confirm-bar').hidden = !(program?.confirmDone && this.me.role === 'admin');
    $('#items-reported-note').textContent = '報告済（確認待ち）の項目は、確認するまで完了に数えません。差し戻すと報告前の状況に戻ります。';
  }

  async settle(item, action, trigger) {
    try {
      if (action === 'confirm') {
        await postJson(`/api/v1/items/${item.id}/confirm`, {});
        announce(`${item.code} の完了報告を確認しました`);
      } else {
        const reason = await askReason(`${item.code} ${item.name}（${item.statusLabel}の報告）`, trigger);
        if (reason === null) return;
        const updated = await postJson(`/api/v1/items/${item.id}/return`, { reason });
        announce(`${item.code} を差し戻しました（${updated.statusLabel}に戻しました）`);
      }
      await Promise.all([this.load(), this.onChanged()]);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return;
      showError(error.message);
    }
  }

  /** Confirms every reported item of the list as filtered now (all pages). */
  async confirmAll(button) {
    const body = { program: $('#filter-program').value };
    for (const [name, selector] of [
      ['status', '#filter-status'],
      ['department', '#filter-department'],
      ['division', '#filter-division'],
      ['q', '#filter-q'],
    ]) {
      const value = $(selector).value.trim();
      if (value) body[name] = value;
    }
    button.disabled = true;
    try {
      const result = await postJson('/api/v1/items/confirm', body);
      announce(result.count ? `報告済の${number(result.count)}件を確認しました` : '確認待ちの報告はありません');
      await Promise.all([this.load(), this.onChanged()]);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return;
      showError(error.message);
    } finally {
      button.disabled = false;
    }
  }

  // --- status change -------------------------------------------------------------------------

  openEdit(item, trigger) {
    this.editing = { item, trigger };
    const program = this.programByKey.get(item.program);
    $('#edit-title').textContent = `状況の変更: ${item.code}`;
    clear($('#edit-status')).append(...program.states.map((state) => el('option', { value: state.key, text: state.label })));
    $('#edit-status').value = item.status;
    for (const selector of ['#edit-completed', '#edit-effective']) {
      $(selector).value = '';
      $(selector).max = this.context.today;
    }
    $('#edit-note').value = item.note ?? '';
    $('#edit-legal').value = item.legalBasis ?? '';
    this.showCurrent();
    this.hideEditError();
    this.updateEditFields();
    $('#edit-dialog').showModal();
    $('#edit-status').focus();
  }

  showCurrent() {
    const { item } = this.editing;
    const completed = item.completedOn ? `（完了日 ${wareki(item.completedOn)}）` : '';
    $('#edit-current').textContent = `${item.name} ／ 所管課 ${item.division.name} ／ 現在の状況: ${item.statusLabel}${completed}`;
  }

  selectedState() {
    const program = this.programByKey.get(this.editing.item.program);
    return program.states.find((state) => state.key === $('#edit-status').value);
  }

  updateEditFields() {
    const state = this.selectedState();
    $('#edit-completed-field').hidden = !state?.done;
    $('#edit-effective-field').hidden = Boolean(state?.done);
    $('#edit-legal-field').hidden = !state?.needsLegalBasis;
  }

  hideEditError() {
    $('#edit-error').hidden = true;
    $('#edit-reload').hidden = true;
    for (const selector of Object.values(FIELD_INPUTS)) $(selector).removeAttribute('aria-invalid');
  }

  showEditError(message, { conflict = false, fields = [] } = {}) {
    $('#edit-error-text').textContent = message;
    $('#edit-reload').hidden = !conflict;
    $('#edit-error').hidden = false;
    for (const field of fields) {
      const selector = FIELD_INPUTS[field];
      if (selector) $(selector).setAttribute('aria-invalid', 'true');
    }
  }

  /** The PATCH body: only what the user changed, with the version read. */
  editBody() {
    const { item } = this.editing;
    const state = this.selectedState();
    const body = { version: item.version };
    if (state.key !== item.status) body.status = state.key;
    const completed = $('#edit-completed').value;
    const effective = $('#edit-effective').value;
    if (state.done && completed) body.completedOn = completed;
    if (!state.done && effective && body.status) body.effectiveOn = effective;
    const note = $('#edit-note').value.trim();
    if (note !== (item.note ?? '')) body.note = note;
    const legal = $('#edit-legal').value.trim();
    if (state.needsLegalBasis && legal !== (item.legalBasis ?? '')) body.legalBasis = legal;
    return body;
  }

  async save() {
    const { item } = this.editing;
    const body = this.editBody();
    this.hideEditError();
    if (Object.keys(body).length === 1) {
      this.showEditError('変更がありません。状況・日付・備考のいずれかを変えてから保存してください。', { fields: ['status'] });
      return;
    }
    const saveButton = $('#edit-save');
    saveButton.disabled = true;
    try {
      const updated = await patchJson(`/api/v1/items/${item.id}`, body);
      this.editing.saved = true;
      $('#edit-dialog').close();
      announce(`${updated.code} を「${updated.statusLabel}」に更新しました`);
      await Promise.all([this.load(), this.onChanged()]);
      // the list was drawn again: put focus back on the same item's button
      const again = $(`#items-table tr[data-id="${updated.id}"] button`);
      if (again) again.focus();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.status === 401) {
        $('#edit-dialog').close();
        return;
      }
      if (error.status === 409) {
        this.showEditError(CONFLICT_MESSAGE, { conflict: true });
        $('#edit-reload').focus();
        return;
      }
      const fields = Array.isArray(error.details) ? error.details.map((problem) => problem.field).filter(Boolean) : [];
      this.showEditError(error.message, { fields });
      const first = fields.map((field) => FIELD_INPUTS[field]).find(Boolean);
      if (first && !$(first).closest('[hidden]')) $(first).focus();
    } finally {
      saveButton.disabled = false;
    }
  }

  /** After a 409: read the item again (new version and state) and keep what the user chose. */
  async reloadEditing() {
    try {
      const fresh = await getJson(`/api/v1/items/${this.editing.item.id}`);
      this.editing.item = fresh;
      this.showCurrent();
      this.hideEditError();
      announce(`最新の内容を読み込みました（現在の状況: ${fresh.statusLabel}）。必要なら選び直して保存してください`);
      $('#edit-status').focus();
      void this.load();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return;
      this.showEditError(`再読み込みできませんでした: ${error.message}`, { conflict: true });
    }
  }

  closeEdit() {
    $('#edit-dialog').close();
  }

  afterEditClosed() {
    const trigger = this.editing?.trigger;
    this.editing = null;
    // the row is re-rendered after a save; fall back to the list's heading
    if (trigger?.isConnected) {
      trigger.focus();
    } else {
      $('#items-title').setAttribute('tabindex', '-1');
      $('#items-title').focus();
    }
  }

  // --- history ---------------------------------------------------------------------------------

  async openHistory(item, trigger) {
    this.historyTrigger = trigger;
    const program = this.programByKey.get(item.program);
    const label = (key) => (key === null ? '（登録）' : program.states.find((state) => state.key === key)?.label ?? key);
    try {
      const { entries } = await getJson(`/api/v1/items/${item.id}/history`);
      $('#history-title').textContent = `変更履歴: ${item.code} ${item.name}`;
      const body = clear($('#history-table').tBodies[0]);
      for (const entry of entries) {
        body.append(
          el(
            'tr',
            {},
            el('td', { class: 'nowrap', text: timestamp(entry.at) }),
            el('td', { text: entry.by }),
            el('td', { class: 'nowrap', text: label(entry.from) }),
            el('td', { class: 'nowrap', text: label(entry.to) }),
            el('td', { class: 'nowrap', text: entry.effectiveOn ? wareki(entry.effectiveOn) : '当初から' }),
            el('td', { text: historyNote(entry) }),
          ),
        );
      }
      $('#history-dialog').showModal();
      $('#history-close').focus();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return;
      showError(`変更履歴を読み込めませんでした: ${error.message}`);
    }
  }
}

/** A history row's note; a confirmation or a return says which (the reason is the note). */
function historyNote(entry) {
  const outcome = entry.changes?.confirmation?.[1];
  if (!outcome) return entry.note ?? '';
  const label = outcome === 'confirmed' ? '完了報告を確認' : '完了報告を差戻し';
  return entry.note ? `${label}: ${entry.note}` : label;
}
