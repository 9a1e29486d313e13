import { getJson, patchJson, postJson } from './api.js';
import { $, announce, clear, el, messageRow } from './dom.js';

// 利用者の管理 (admins only): add a user, change the role and department, issue a temporary
// password or an API token (each shown once, here only), disable. The section is built here, not in
// index.html, and appears only for admins. Its labels avoid the words of the sign-in form
// (ログインID, パスワード) so a label search finds one control.

const ROLE_LABELS = { admin: '管理者', editor: '編集者', viewer: '閲覧者' };
const PASSWORD_STATES = { set: '設定済み', temporary: '仮（初回に変更）', none: 'なし（トークンのみ）' };

function roleSelect(id, value, label) {
  return el(
    'select',
    { id, ...(label ? { 'aria-label': label } : {}) },
    Object.entries(ROLE_LABELS).map(([key, text]) => el('option', { value: key, text, selected: key === value })),
  );
}

function departmentSelect(id, departments, value, label) {
  return el(
    'select',
    { id, ...(label ? { 'aria-label': label } : {}) },
    el('option', { value: '', text: '（なし）' }),
    departments.map((department) => el('option', { value: department.name, text: department.name, selected: department.name === value })),
  );
}

export class UsersAdminPanel {
  constructor(context) {
    this.context = context;
    this.section = null;
  }

  /** Builds (once) and shows the section for an admin; removes it for anyone else. */
  async show() {
    if (this.context.me?.role !== 'admin') {
      this.section?.remove();
      this.section = null;
      return;
    }
    if (!this.section) this.build();
    await this.reload();
  }

  hide() {
    this.section?.remove();
    this.section = null;
  }

  build() {
    const departments = this.context.organization?.departments ?? [];
    const form = el(
      'form',
      { id: 'user-create-form', class: 'user-create-form', novalidate: true },
      el('div', { class: 'field' }, el('label', { for: 'user-new-name', text: '氏名' }), el('input', { id: 'user-new-name', type: 'text', required: true, maxlength: 100 })),
      el(
        'div',
        { class: 'field' },
        el('label', { for: 'user-new-login', text: '利用者ID' }),
        el('input', { id: 'user-new-login', type: 'text', required: true, maxlength: 64, autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'user-new-login-hint' }),
        el('p', { id: 'user-new-login-hint', class: 'hint', text: 'ログインに使うID。半角英数字と . _ @ - で2〜64文字。' }),
      ),
      el('div', { class: 'field' }, el('label', { for: 'user-new-role', text: '役割' }), roleSelect('user-new-role', 'viewer')),
      el('div', { class: 'field' }, el('label', { for: 'user-new-department', text: '所属' }), departmentSelect('user-new-department', departments, '')),
      el('button', { type: 'submit', text: '利用者を追加' }),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.create();
    });
    this.section = el(
      'section',
      { id: 'users-section', class: 'panel', 'aria-labelledby': 'users-title' },
      el('h2', { id: 'users-title', text: '利用者の管理' }),
      el('p', {
        class: 'section-note',
        text: '新しい利用者と再発行したパスワードは仮のもので、本人が最初のログインで変更します。仮パスワードとAPIトークンはこの画面に一度だけ表示されます。',
      }),
      form,
      el('p', { id: 'users-message', class: 'form-message', role: 'alert' }),
      el('div', { id: 'users-secret', class: 'secret-box', role: 'status', hidden: true }),
      el(
        'div',
        { class: 'table-wrap' },
        el(
          'table',
          { id: 'users-table' },
          el('caption', { class: 'visually-hidden', text: '利用者の一覧' }),
          el('thead', {}, el('tr', {}, ['ID', '氏名', '役割', '所属', 'パスワード', 'APIトークン', '状態', '操作'].map((text) => el('th', { scope: 'col', text })))),
          el('tbody'),
        ),
      ),
    );
    // its own view of the page (the menu's 「利用者」, shown to administrators only)
    $('#view-users').append(this.section);
  }

  async reload() {
    const body = $('#users-table tbody');
    try {
      const { users } = await getJson('/api/v1/users');
      clear(body);
      if (!users.length) body.append(messageRow(8, '利用者はいません'));
      for (const user of users) body.append(this.row(user));
    } catch (error) {
      clear(body).append(messageRow(8, `利用者を読み込めませんでした: ${error.message}`));
    }
  }

  row(user) {
    const departments = this.context.organization?.departments ?? [];
    const idCell = `user-login-${user.id}`;
    const disabled = Boolean(user.disabledAt);
    const self = user.login === this.context.me?.login;
    const role = roleSelect(`user-role-${user.id}`, user.role, `${user.login}の役割`);
    const department = departmentSelect(`user-department-${user.id}`, departments, user.department ?? '', `${user.login}の所属`);
    role.disabled = disabled || self;
    department.disabled = disabled;
    const save = () => void this.act(() => patchJson(`/api/v1/users/${user.id}`, { role: role.value, department: department.value }), `${user.login} の役割・所属を変更しました`);
    role.addEventListener('change', save);
    department.addEventListener('change', save);
    const button = (text, action) => el('button', { type: 'button', class: 'button-secondary', text, 'aria-describedby': idCell, disabled: disabled, onclick: action });
    return el(
      'tr',
      { dataset: { login: user.login } },
      el('th', { scope: 'row', id: idCell, text: user.login }),
      el('td', { text: user.name }),
      el('td', {}, role),
      el('td', {}, department),
      el('td', { text: PASSWORD_STATES[user.password] ?? user.password }),
      el('td', { text: user.tokenPrefix ? `${user.tokenPrefix}…` : '—' }),
      el('td', { text: disabled ? '無効' : '有効' }),
      el(
        'td',
        { class: 'actions' },
        button('仮パスワードを発行', () =>
          void this.act(async () => {
            const answer = await postJson(`/api/v1/users/${user.id}/password-reset`, undefined);
            this.secret(`${user.name}（${user.login}）の仮パスワード: `, answer.temporaryPassword);
          }, `${user.login} の仮パスワードを発行しました`),
        ),
        button('APIトークンを発行', () =>
          void this.act(async () => {
            const answer = await postJson(`/api/v1/users/${user.id}/token`, undefined);
            this.secret(`${user.name}（${user.login}）のAPIトークン（スクリプト用。以前のトークンは使えなくなります）: `, answer.token);
          }, `${user.login} のAPIトークンを発行しました`),
        ),
        self
          ? null
          : button('無効にする', () => {
              if (!window.confirm(`${user.name}（${user.login}）を無効にします。ログインもAPIトークンも使えなくなります。よろしいですか。`)) return;
              void this.act(() => postJson(`/api/v1/users/${user.id}/disable`, undefined), `${user.login} を無効にしました`);
            }),
      ),
    );
  }

  /** Shows a temporary password or token once; it is not kept anywhere else in the page. */
  secret(label, value) {
    const box = $('#users-secret');
    clear(box).append(el('p', {}, label, el('code', { text: value })), el('p', { class: 'hint', text: 'この表示は一度だけです。本人に安全な方法で伝えてください。' }));
    box.hidden = false;
  }

  async act(work, done) {
    $('#users-message').textContent = '';
    try {
      await work();
      announce(done);
    } catch (error) {
      $('#users-message').textContent = error.message;
    }
    await this.reload();
  }

  async create() {
    const name = $('#user-new-name').value.trim();
    const login = $('#user-new-login').value.trim();
    if (!name || !login) {
      $('#users-message').textContent = !name ? '氏名を入力してください。' : '利用者IDを入力してください。';
      (!name ? $('#user-new-name') : $('#user-new-login')).focus();
      return;
    }
    await this.act(async () => {
      const created = await postJson('/api/v1/users', {
        name,
        login,
        role: $('#user-new-role').value,
        ...($('#user-new-department').value ? { department: $('#user-new-department').value } : {}),
      });
      this.secret(`${created.name}（${created.login}）の仮パスワード: `, created.temporaryPassword);
      $('#user-create-form').reset();
    }, `${login} を追加しました`);
  }
}
