import { ApiError, postJson } from './api.js';
import { $, announce, clear, el } from './dom.js';
import { number } from './format.js';

// 「一括変更」: one state, one completion date and one note for the items selected in the list (or
// every item the list's filter matches). The dialog says how many items before anything runs; the
// server changes all of them in one transaction or none, naming each item it refuses.

const SHOWN_ERRORS = 50;

export class BulkDialog {
  /** `panel` is the ItemsPanel: it owns the selection and reloads the list afterwards. */
  constructor(context, panel) {
    this.context = context;
    this.panel = panel;
    this.trigger = null;
    $('#bulk-status').addEventListener('change', () => this.update());
    $('#bulk-form').addEventListener('submit', (event) => {
      event.preventDefault();
      void this.run();
    });
    $('#bulk-cancel').addEventListener('click', () => $('#bulk-dialog').close());
    $('#bulk-dialog').addEventListener('close', () => {
      if (this.trigger?.isConnected) this.trigger.focus();
    });
  }

  program() {
    return this.context.programByKey.get(this.panel.selection.program);
  }

  open(trigger) {
    const selection = this.panel.selection;
    if (!selection.count) return;
    this.trigger = trigger;
    const program = this.program();
    clear($('#bulk-status')).append(...program.states.map((state) => el('option', { value: state.key, text: state.label })));
    const done = program.states.find((state) => state.done);
    if (done) $('#bulk-status').value = done.key;
    $('#bulk-completed').value = '';
    $('#bulk-completed').max = this.context.today;
    $('#bulk-note').value = '';
    $('#bulk-count').textContent =
      selection.mode === 'filter'
        ? `${program.label}: 条件に合う${number(selection.count)}件すべてが対象です（${selection.description}）。`
        : `${program.label}: 選択した${number(selection.count)}件が対象です。`;
    this.hideError();
    this.update();
    $('#bulk-dialog').showModal();
    $('#bulk-status').focus();
  }

  selectedState() {
    return this.program().states.find((state) => state.key === $('#bulk-status').value);
  }

  update() {
    const state = this.selectedState();
    $('#bulk-completed-field').hidden = !state?.done;
    $('#bulk-confirm').textContent = `「変更する」を押すと、${number(this.panel.selection.count)}件の状況を「${state?.label ?? ''}」にします。1件でも変更できない項目があれば、どれも変更しません。`;
  }

  hideError() {
    $('#bulk-error').hidden = true;
    clear($('#bulk-error-list'));
  }

  showError(message, errors = []) {
    $('#bulk-error-text').textContent = message;
    const list = clear($('#bulk-error-list'));
    for (const error of errors.slice(0, SHOWN_ERRORS)) list.append(el('li', { text: error.message }));
    if (errors.length > SHOWN_ERRORS) list.append(el('li', { text: `ほか${number(errors.length - SHOWN_ERRORS)}件` }));
    $('#bulk-error').hidden = false;
  }

  body() {
    const selection = this.panel.selection;
    const state = this.selectedState();
    const body = { status: state.key };
    if (selection.mode === 'filter') {
      body.filter = selection.filter;
      body.expectedCount = selection.count;
    } else {
      body.ids = [...selection.ids.keys()];
    }
    if (state.done && $('#bulk-completed').value) body.completedOn = $('#bulk-completed').value;
    const note = $('#bulk-note').value.trim();
    if (note) body.note = note;
    return body;
  }

  async run() {
    const save = $('#bulk-save');
    save.disabled = true;
    this.hideError();
    try {
      const result = await postJson(`/api/v1/programs/${encodeURIComponent(this.panel.selection.program)}/items/bulk`, this.body());
      $('#bulk-dialog').close();
      const unchanged = result.unchanged ? `（${number(result.unchanged)}件はすでにその状態で、変更なし）` : '';
      announce(`${number(result.updated)}件の状況を変更しました${unchanged}`);
      this.panel.clearSelection();
      await this.panel.afterBulkChange();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.status === 401) {
        $('#bulk-dialog').close();
        return;
      }
      const errors = error.details?.errors ?? [];
      this.showError(errors.length ? `次の${number(errors.length)}件の問題があるため、どの項目も変更していません。` : error.message, errors);
    } finally {
      save.disabled = false;
    }
  }
}
