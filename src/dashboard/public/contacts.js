import { ApiError, getJson, putJson } from './api.js';
import { $, announce, clear, el, messageRow } from './dom.js';
import { number } from './format.js';

// 課の連絡先: the addresses each division's reminder mail (督促メール: open 照会 requests, overdue
// items) goes to. Administrators edit them in the 利用者 view (PUT …/divisions/<code>/contacts, the
// server checks and normalizes every address); an editor reads its own department's divisions in
// the 照会 view, where the reminders are about. Built here, like the users section.

/** Addresses as typed: one a line (commas and semicolons also separate, as in the seed's cell). */
export function splitAddresses(text) {
  return text
    .split(/[\n,;、，；]+/u)
    .map((value) => value.trim())
    .filter(Boolean);
}

/** The API's refusal in the page's words: which entry (the n-th address typed) and its value. */
export function contactsErrorText(error, entries) {
  const field = typeof error.details?.field === 'string' ? /^emails\.(\d+)$/.exec(error.details.field) : null;
  if (error.code === 'invalid_email' && field) {
    const index = Number(field[1]);
    const value = entries[index] ?? String(error.details.value ?? '');
    return `${index + 1}件目の「${value}」はメールアドレスとして正しくありません（例: soumu@city.example.jp）。何も保存していません。`;
  }
  return `${error.message}。何も保存していません。`.replace(/。。/u, '。');
}

function addressList(contacts) {
  if (!contacts.length) return el('span', { class: 'contacts-none', text: '未登録（督促メールは届きません）' });
  return el(
    'ul',
    { class: 'contacts-list' },
    contacts.map((address) => el('li', {}, el('code', { text: address }))),
  );
}

export class ContactsPanel {
  constructor(context) {
    this.context = context;
    this.section = null;
    this.departments = [];
  }

  hide() {
    this.section?.remove();
    this.section = null;
  }

  /** After sign-in: the editing table for an admin, the own department's addresses for an editor. */
  async show() {
    this.hide();
    const role = this.context.me?.role;
    if (role === 'admin') this.buildAdmin();
    else if (role === 'editor' && this.context.me.department) this.buildOwn();
    else return;
    await this.reload();
  }

  async reload() {
    if (!this.section) return;
    try {
      const organization = await getJson('/api/v1/organization');
      this.departments = organization.departments;
      if (this.context.me?.role === 'admin') this.renderAdmin();
      else this.renderOwn();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return;
      const body = this.section?.querySelector('tbody');
      if (body) clear(body).append(messageRow(this.context.me?.role === 'admin' ? 4 : 2, `連絡先を読み込めませんでした: ${error.message}`));
    }
  }

  // --- administrators: every division, edited in place -----------------------------------------

  buildAdmin() {
    const filter = el('select', { id: 'contacts-department' }, el('option', { value: '', text: 'すべての部局' }));
    filter.addEventListener('change', () => this.renderAdmin());
    this.section = el(
      'section',
      { id: 'contacts-section', class: 'panel', 'aria-labelledby': 'contacts-title' },
      el('h2', { id: 'contacts-title', text: '課の連絡先（督促メールの送り先）' }),
      el('p', {
        class: 'section-note',
        text: '督促メール（未回答の照会と期限超過の項目のお知らせ）は、課ごとにここのアドレスへ送ります。アドレスのない課には送りません。',
      }),
      el('div', { class: 'filters filters-compact' }, el('div', { class: 'field' }, el('label', { for: 'contacts-department', text: '部局で絞り込み' }), filter)),
      el('p', { id: 'contacts-summary', class: 'section-note', 'aria-live': 'polite' }),
      el(
        'div',
        { class: 'table-wrap table-scroll', role: 'region', 'aria-labelledby': 'contacts-title', tabindex: 0 },
        el(
          'table',
          { id: 'contacts-table', class: 'data-table stack-table stack-hide-head contacts-table' },
          el('caption', { class: 'visually-hidden', text: '課ごとの連絡先（督促メールの送り先）' }),
          el('thead', {}, el('tr', {}, ['部局', '課', '連絡先', '操作'].map((text) => el('th', { scope: 'col', text })))),
          el('tbody', {}, messageRow(4, '読み込んでいます…')),
        ),
      ),
    );
    $('#view-users').append(this.section);
  }

  renderAdmin() {
    const filter = $('#contacts-department');
    if (!filter) return;
    const chosen = filter.value;
    clear(filter).append(
      el('option', { value: '', text: 'すべての部局' }),
      ...this.departments.map((department) => el('option', { value: department.code, text: department.name, selected: department.code === chosen })),
    );
    const shown = this.departments.filter((department) => !filter.value || department.code === filter.value);
    const divisions = shown.flatMap((department) => department.divisions.map((division) => ({ department, division })));
    const missing = divisions.filter(({ division }) => !division.contacts.length).length;
    $('#contacts-summary').textContent = `${number(divisions.length)}課（連絡先のない課 ${number(missing)}）`;
    const body = clear($('#contacts-table tbody'));
    if (!divisions.length) body.append(messageRow(4, 'この部局には課がありません。'));
    for (const { department, division } of divisions) body.append(this.adminRow(department, division));
  }

  adminRow(department, division) {
    const cell = el('td', { class: 'wide contacts-cell', 'data-label': '連絡先' }, addressList(division.contacts));
    const edit = el('button', {
      type: 'button',
      class: 'button-small button-secondary',
      'aria-label': `${division.name}の連絡先を編集`,
      text: '編集',
      onclick: () => this.openEditor(row, cell, edit, division),
    });
    const row = el(
      'tr',
      { dataset: { division: division.code } },
      el('td', { 'data-label': '部局', text: department.name }),
      el('th', { scope: 'row', text: division.name }),
      cell,
      el('td', { class: 'actions-cell' }, edit),
    );
    return row;
  }

  openEditor(row, cell, editButton, division) {
    const id = `contacts-input-${division.code}`;
    const hintId = `${id}-hint`;
    const input = el('textarea', { id, rows: Math.max(2, division.contacts.length + 1), 'aria-describedby': hintId, spellcheck: 'false', autocomplete: 'off' }, division.contacts.join('\n'));
    const message = el('p', { class: 'form-message', role: 'alert' });
    const save = el('button', { type: 'button', class: 'button-small', text: '保存', 'aria-label': `${division.name}の連絡先を保存` });
    const cancel = el('button', { type: 'button', class: 'button-small button-secondary', text: 'やめる', 'aria-label': `${division.name}の連絡先の編集をやめる` });
    const close = (contacts) => {
      clear(cell).append(addressList(contacts));
      editButton.hidden = false;
      row.classList.remove('is-editing');
      editButton.focus();
    };
    cancel.addEventListener('click', () => close(division.contacts));
    save.addEventListener('click', () => {
      message.textContent = '';
      input.removeAttribute('aria-invalid');
      const entries = splitAddresses(input.value);
      save.disabled = true;
      putJson(`/api/v1/organization/divisions/${encodeURIComponent(division.code)}/contacts`, { emails: entries })
        .then((saved) => {
          // the server's form of each address (NFKC, domain in lower case, duplicates once)
          division.contacts = saved.contacts;
          this.rememberContacts(division.code, saved.contacts);
          close(saved.contacts);
          this.renderSummary();
          announce(saved.contacts.length ? `${division.name}の連絡先を保存しました（${number(saved.contacts.length)}件）` : `${division.name}の連絡先を消しました（督促メールは届きません）`);
        })
        .catch((error) => {
          if (error instanceof ApiError && error.status === 401) return;
          message.textContent = contactsErrorText(error, entries);
          input.setAttribute('aria-invalid', 'true');
          input.focus();
        })
        .finally(() => {
          save.disabled = false;
        });
    });
    clear(cell).append(
      el('label', { for: id, class: 'visually-hidden', text: `${division.name}の連絡先` }),
      input,
      el('p', { id: hintId, class: 'hint', text: '1行に1件（最大20件）。空にすると督促メールは届きません。' }),
      message,
      el('div', { class: 'actions' }, save, cancel),
    );
    editButton.hidden = true;
    row.classList.add('is-editing');
    input.focus();
  }

  renderSummary() {
    const rows = [...document.querySelectorAll('#contacts-table tbody tr[data-division]')];
    const missing = rows.filter((row) => row.querySelector('.contacts-none')).length;
    $('#contacts-summary').textContent = `${number(rows.length)}課（連絡先のない課 ${number(missing)}）`;
  }

  /** The page's copy of the organization follows, so other views show the same addresses. */
  rememberContacts(code, contacts) {
    for (const department of this.context.organization?.departments ?? []) {
      const division = department.divisions.find((candidate) => candidate.code === code);
      if (division) division.contacts = contacts;
    }
  }

  // --- an editor: its own department's divisions, read only ------------------------------------

  buildOwn() {
    const department = this.context.me.department;
    this.section = el(
      'section',
      { id: 'own-contacts-section', class: 'panel', 'aria-labelledby': 'own-contacts-title' },
      el('h2', { id: 'own-contacts-title', text: `督促メールの送り先（${department.name}）` }),
      el('p', {
        class: 'section-note',
        text: '未回答の照会と期限超過の項目のお知らせ（督促メール）は、課ごとに次のアドレスへ届きます。変更は管理者（改革担当）に依頼してください。',
      }),
      el(
        'div',
        { class: 'table-wrap' },
        el(
          'table',
          { id: 'own-contacts-table', class: 'data-table stack-table stack-hide-head contacts-table' },
          el('caption', { class: 'visually-hidden', text: `${department.name}の課の連絡先` }),
          el('thead', {}, el('tr', {}, ['課', '連絡先'].map((text) => el('th', { scope: 'col', text })))),
          el('tbody', {}, messageRow(2, '読み込んでいます…')),
        ),
      ),
    );
    $('#view-surveys').append(this.section);
  }

  renderOwn() {
    const body = $('#own-contacts-table tbody');
    if (!body) return;
    const own = this.departments.find((department) => department.code === this.context.me.department?.code);
    clear(body);
    if (!own?.divisions.length) {
      body.append(messageRow(2, 'この部局の課はありません。'));
      return;
    }
    for (const division of own.divisions) {
      body.append(el('tr', { dataset: { division: division.code } }, el('th', { scope: 'row', text: division.name }), el('td', { class: 'wide contacts-cell', 'data-label': '連絡先' }, addressList(division.contacts))));
    }
  }
}
