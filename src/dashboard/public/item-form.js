import { ApiError, getJson, patchJson, postJson } from './api.js';
import { $, announce, clear, el } from './dom.js';

// Adding an item and editing every field of one (名称, 所管課, 予定日, 備考 and the program's own
// columns). The form is built from the program's definition (GET /api/v1/programs), so a program
// added as data gets its columns here without a change to the page. The state has its own dialog
// (「変更」), with the rules of a status change.

/** Fields the edit form leaves to the status dialog (or that never change). */
const STATUS_FIELDS = new Set(['status', 'completedOn']);

export class ItemForm {
  constructor(context, onSaved) {
    this.context = context;
    this.onSaved = onSaved;
    this.mode = null;
    $('#item-form').addEventListener('submit', (event) => {
      event.preventDefault();
      void this.save();
    });
    $('#item-cancel').addEventListener('click', () => $('#item-dialog').close());
    $('#item-dialog').addEventListener('close', () => {
      if (this.trigger?.isConnected) this.trigger.focus();
    });
  }

  divisionOptions(selectedName) {
    const { me, organization } = this.context;
    const groups = organization.departments
      .filter((department) => me.role === 'admin' || department.code === me.department?.code)
      .filter((department) => department.divisions.length)
      .map((department) =>
        el(
          'optgroup',
          { label: department.name },
          department.divisions.map((division) => el('option', { value: division.name, text: division.name, selected: division.name === selectedName })),
        ),
      );
    return [el('option', { value: '', text: '選んでください' }), ...groups];
  }

  input(field, value, program) {
    const id = `item-field-${field.key}`;
    const common = { id, name: field.key, 'data-field': field.key };
    if (field.kind === 'division') return el('select', common, this.divisionOptions(value));
    if (field.kind === 'status') {
      return el('select', common, program.states.map((state) => el('option', { value: state.key, text: state.label, selected: state.key === (value ?? program.initialState) })));
    }
    if (field.kind === 'choice') {
      return el(
        'select',
        common,
        el('option', { value: '', text: '（なし）' }),
        (field.choices ?? []).map((choice) => el('option', { value: choice.key, text: choice.label, selected: choice.key === value })),
      );
    }
    if (field.key === 'note' || field.key === 'name' || field.key === 'legalBasis') {
      return el('textarea', { ...common, rows: field.key === 'name' ? 2 : 3, maxlength: field.maxLength ?? 2000 }, value ?? '');
    }
    if (field.kind === 'date') return el('input', { ...common, type: 'date', value: value ?? '', max: field.key === 'completedOn' ? this.context.today : undefined });
    if (field.kind === 'integer') return el('input', { ...common, type: 'text', inputmode: 'numeric', value: value ?? '' });
    return el('input', { ...common, type: 'text', value: value ?? '', maxlength: field.maxLength ?? undefined, autocomplete: 'off' });
  }

  fieldsFor(program) {
    return this.mode === 'create' ? program.fields : program.fields.filter((field) => !STATUS_FIELDS.has(field.key) && field.kind !== 'code');
  }

  render(program, item) {
    const container = clear($('#item-fields'));
    for (const field of this.fieldsFor(program)) {
      const label = el('label', { for: `item-field-${field.key}` }, field.header, field.required ? el('span', { class: 'required', 'aria-hidden': 'true', text: ' *' }) : null);
      const input = this.input(field, item ? item[field.key] ?? (field.kind === 'division' ? item.division.name : null) : null, program);
      if (field.required) input.setAttribute('aria-required', 'true');
      container.append(el('div', { class: `field${field.key === 'name' || field.key === 'note' ? ' field-span' : ''}` }, label, input));
    }
  }

  openCreate(programKey, trigger) {
    const program = this.context.programByKey.get(programKey);
    this.mode = 'create';
    this.program = program;
    this.item = null;
    this.trigger = trigger;
    $('#item-title').textContent = `${program.label}: 項目を追加`;
    this.render(program, null);
    this.hideError();
    $('#item-dialog').showModal();
    $('#item-fields').querySelector('input, select, textarea')?.focus();
  }

  openEdit(item, trigger) {
    const program = this.context.programByKey.get(item.program);
    this.mode = 'edit';
    this.program = program;
    this.item = item;
    this.trigger = trigger;
    $('#item-title').textContent = `項目の編集: ${item.code}`;
    // the division as a name the select offers
    this.render(program, { ...item, division: item.division.name });
    this.hideError();
    $('#item-dialog').showModal();
    $('#item-fields').querySelector('input, select, textarea')?.focus();
  }

  hideError() {
    $('#item-error').hidden = true;
    for (const input of $('#item-fields').querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
  }

  values() {
    const values = {};
    for (const input of $('#item-fields').querySelectorAll('[data-field]')) {
      const key = input.dataset.field;
      // free text as typed; empty means "no value"
      values[key] = input.value === '' ? null : input.value;
    }
    return values;
  }

  body() {
    const values = this.values();
    if (this.mode === 'create') {
      return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== null));
    }
    // an edit sends only what changed, with the version read
    const body = { version: this.item.version };
    for (const [key, value] of Object.entries(values)) {
      const before = key === 'division' ? this.item.division.name : (this.item[key] ?? null);
      const normalizedBefore = before === null || before === undefined ? null : String(before);
      if (value !== normalizedBefore) body[key] = value ?? '';
    }
    return body;
  }

  async save() {
    const body = this.body();
    this.hideError();
    if (this.mode === 'edit' && Object.keys(body).length === 1) {
      this.showError('変更がありません。');
      return;
    }
    const button = $('#item-save');
    button.disabled = true;
    try {
      const saved =
        this.mode === 'create'
          ? await postJson(`/api/v1/programs/${encodeURIComponent(this.program.key)}/items`, body)
          : await patchJson(`/api/v1/items/${this.item.id}`, body);
      $('#item-dialog').close();
      announce(this.mode === 'create' ? `${saved.code} を登録しました` : `${saved.code} を保存しました`);
      await this.onSaved(saved);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.status === 401) {
        $('#item-dialog').close();
        return;
      }
      if (error.status === 409 && this.mode === 'edit' && error.code === 'version_conflict') {
        // read the item again, keep what the user typed over it
        try {
          const fresh = await getJson(`/api/v1/items/${this.item.id}`);
          this.item = fresh;
        } catch {
          // the message below still says what happened
        }
        this.showError(`${error.message}（最新の内容を読み込みました。もう一度「保存」を押すと、入力した内容で上書きします）`);
        return;
      }
      const fields = Array.isArray(error.details) ? error.details.map((problem) => problem.field).filter(Boolean) : [];
      for (const field of fields) $(`#item-field-${field}`)?.setAttribute('aria-invalid', 'true');
      this.showError(error.message);
      if (fields.length) $(`#item-field-${fields[0]}`)?.focus();
    } finally {
      button.disabled = false;
    }
  }

  showError(message) {
    $('#item-error-text').textContent = message;
    $('#item-error').hidden = false;
  }
}
