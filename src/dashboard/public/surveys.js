import { ApiError, download, getJson, postJson } from './api.js';
import { $, announce, clear, el, messageRow, showError } from './dom.js';
import { number, timestamp } from './format.js';
import { askReason } from './return-dialog.js';
import { goToView } from './views.js';

// 照会 (survey rounds). A division (editor) sees its open requests first: the round, its due date
// in 和暦, a return's reason; it downloads its sheet and answers with the filled sheet or with
// 「変更なしで回答する」. The office (admin) opens rounds and sees 回答状況 per division (late ones
// marked), confirms or returns answers and downloads each division's sheet or all of them (zip).
// Viewers read the 回答状況. Built here and placed at the top of the dashboard.

const STATUS_CLASS = { waiting: 'survey-waiting', answered: 'survey-answered', returned: 'survey-returned', confirmed: 'survey-confirmed' };

function statusPill(division) {
  return el(
    'span',
    { class: 'survey-status' },
    el('span', { class: `status-pill ${STATUS_CLASS[division.status]}`, text: division.statusLabel }),
    division.late ? el('span', { class: 'late-mark', text: '期限超過' }) : null,
  );
}

function answerText(division) {
  if (!division.answeredAt) return '—';
  const what = division.answerKind === 'no_change' ? '変更なし' : `シート ${number(division.rows ?? 0)}行`;
  return `${timestamp(division.answeredAt)} ${division.answeredBy ?? ''}（${what}）`;
}

export class SurveysPanel {
  constructor(context, onChanged) {
    this.context = context;
    this.onChanged = onChanged;
    this.section = null;
  }

  get me() {
    return this.context.me;
  }

  hide() {
    this.section?.remove();
    this.section = null;
  }

  /** After sign-in: build the section for this role and read the rounds. */
  async show() {
    this.hide();
    const office = this.me.role === 'admin';
    this.section = el(
      'section',
      { id: 'surveys-section', class: 'panel', 'aria-labelledby': 'surveys-title' },
      el('h2', { id: 'surveys-title', text: office ? '照会と回答状況' : this.me.role === 'editor' ? '回答が必要な照会' : '照会の回答状況' }),
      office ? this.openForm() : null,
      office ? el('p', { class: 'section-note' }, '督促メールは各課の連絡先へ送ります（', el('a', { href: '#contacts-section', text: '課の連絡先を編集する' }), '）。') : null,
      el('div', { id: 'surveys-body' }),
    );
    $('#view-surveys').append(this.section);
    const open = await this.reload();
    // a division with open requests sees them first thing after signing in
    if (this.me.role === 'editor' && open > 0) goToView('surveys');
  }

  /** Reads the rounds again; answers how many requests are open (for an editor). */
  async reload() {
    const body = $('#surveys-body');
    if (!body) return 0;
    try {
      const { surveys } = await getJson('/api/v1/surveys');
      clear(body);
      if (this.me.role === 'editor') return this.renderRequests(body, surveys);
      this.renderStatus(body, surveys);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return 0;
      clear(body).append(el('p', { class: 'form-message', text: `照会を読み込めませんでした: ${error.message}` }));
    }
    return 0;
  }

  // --- the division's side ---------------------------------------------------------------------

  renderRequests(body, surveys) {
    const open = [];
    const answered = [];
    for (const survey of surveys) {
      for (const division of survey.divisions) (division.status === 'waiting' || division.status === 'returned' ? open : answered).push({ survey, division });
    }
    if (!open.length) {
      body.append(el('p', { class: 'section-note', id: 'surveys-none', text: '回答が必要な照会はありません。' }));
    } else {
      body.append(el('p', { class: 'section-note', text: 'シートをダウンロードして記入し、「シートで回答する」で取り込んでください。変更がなければ「変更なしで回答する」を押します。' }));
      const list = el('ul', { class: 'survey-requests' });
      open.sort((a, b) => a.survey.dueOn.localeCompare(b.survey.dueOn));
      for (const entry of open) list.append(this.requestCard(entry.survey, entry.division));
      body.append(list);
    }
    if (answered.length) {
      const table = el(
        'table',
        { class: 'data-table stack-table', id: 'surveys-answered' },
        el('caption', { text: '回答済みの照会' }),
        el('thead', {}, el('tr', {}, ['照会', '所管課', '回答期限', '状況', '回答'].map((text) => el('th', { scope: 'col', text })))),
        el(
          'tbody',
          {},
          answered.map(({ survey, division }) =>
            el(
              'tr',
              {},
              el('td', { text: survey.title }),
              el('td', { 'data-label': '所管課', text: division.division.name }),
              el('td', { class: 'nowrap', 'data-label': '回答期限', text: survey.dueOnLabel }),
              el('td', { 'data-label': '状況' }, statusPill(division)),
              el('td', { 'data-label': '回答', text: answerText(division) }),
            ),
          ),
        ),
      );
      body.append(el('div', { class: 'table-wrap' }, table));
    }
    return open.length;
  }

  requestCard(survey, division) {
    const key = `${survey.id}-${division.division.code}`;
    const fileId = `survey-file-${key}`;
    const message = el('div', { class: 'survey-message', role: 'alert' });
    const fileInput = el('input', { id: fileId, type: 'file', accept: '.xlsx,.csv' });
    const card = el(
      'li',
      { class: `survey-request${division.late ? ' is-late' : ''}`, dataset: { survey: survey.id, division: division.division.code } },
      el('h3', { text: `${survey.title}（${division.division.name}）` }),
      el(
        'p',
        { class: 'survey-meta' },
        `${survey.programLabel}・回答期限 ${survey.dueOnLabel}　`,
        statusPill(division),
      ),
      division.status === 'returned' && division.returnReason ? el('p', { class: 'survey-reason', text: `差戻しの理由: ${division.returnReason}` }) : null,
      el(
        'div',
        { class: 'survey-actions' },
        el('button', { type: 'button', class: 'button-secondary', text: 'シートをダウンロード', onclick: () => void this.downloadSheet(survey, division) }),
        el('div', { class: 'field' }, el('label', { for: fileId, text: `${division.division.name}の回答シート` }), fileInput),
        el('button', { type: 'button', text: 'シートで回答する', onclick: (event) => void this.answerBySheet(survey, division, fileInput, message, event.currentTarget) }),
        el('button', { type: 'button', class: 'button-secondary', text: '変更なしで回答する', onclick: (event) => void this.answerNoChange(survey, division, message, event.currentTarget) }),
      ),
      message,
    );
    return card;
  }

  async downloadSheet(survey, division) {
    try {
      const { name } = await download(`/api/v1/surveys/${encodeURIComponent(survey.id)}/sheets/${encodeURIComponent(division.division.code)}.xlsx`, `survey-${survey.id}-${division.division.code}.xlsx`);
      announce(`${name} をダウンロードしました`);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) showError(`シートをダウンロードできませんでした: ${error.message}`);
    }
  }

  async answerBySheet(survey, division, input, message, button) {
    clear(message);
    const file = input.files?.[0];
    if (!file) {
      message.append(el('p', { class: 'form-message', text: '回答するシート（xlsx または CSV）を選んでください。' }));
      input.focus();
      return;
    }
    const form = new FormData();
    form.append('file', file);
    button.disabled = true;
    try {
      const query = new URLSearchParams({ survey: survey.id, division: division.division.code });
      const result = await postJson(`/api/v1/imports/${encodeURIComponent(survey.program)}?${query}`, form);
      announce(`${division.division.name}の回答を受け付けました（${number(result.summary.rows)}行、変更 ${number(result.summary.updated + result.summary.created)}件）`);
      await Promise.all([this.reload(), this.onChanged()]);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return;
      // a refused sheet answers 422 with the import result: its row errors (行・列・値・内容)
      const errors = error instanceof ApiError && Array.isArray(error.body?.errors) ? error.body.errors : null;
      message.append(el('p', { class: 'form-message', text: errors ? `シートに${number(error.body.summary?.errors ?? errors.length)}件の誤りがあります。直してからもう一度回答してください。` : error.message }));
      if (errors) this.rowErrors(message, errors);
    } finally {
      button.disabled = false;
    }
  }

  rowErrors(message, errors) {
    message.append(
      el(
        'div',
        { class: 'table-wrap' },
        el(
          'table',
          { class: 'data-table survey-errors' },
          el('caption', { text: '取り込めなかった行（何も書き込んでいません）' }),
          el('thead', {}, el('tr', {}, ['行', '列', '値', '内容'].map((text) => el('th', { scope: 'col', text })))),
          el('tbody', {}, errors.map((problem) => el('tr', {}, el('td', { text: problem.row }), el('td', { text: problem.column }), el('td', { text: problem.value }), el('td', { text: problem.message })))),
        ),
      ),
    );
  }

  async answerNoChange(survey, division, message, button) {
    clear(message);
    button.disabled = true;
    try {
      await postJson(`/api/v1/surveys/${encodeURIComponent(survey.id)}/divisions/${encodeURIComponent(division.division.code)}/answer`, { noChange: true });
      announce(`${division.division.name}は変更なしで回答しました`);
      await this.reload();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return;
      message.append(el('p', { class: 'form-message', text: error.message }));
    } finally {
      button.disabled = false;
    }
  }

  // --- the office's side -----------------------------------------------------------------------

  openForm() {
    const programs = this.context.programs;
    const departments = this.context.organization?.departments ?? [];
    const form = el(
      'form',
      { id: 'survey-open-form', class: 'survey-open-form', novalidate: true },
      el('div', { class: 'field field-wide' }, el('label', { for: 'survey-title', text: '件名' }), el('input', { id: 'survey-title', type: 'text', maxlength: 200, required: true })),
      el('div', { class: 'field' }, el('label', { for: 'survey-program', text: '照会する取組' }), el('select', { id: 'survey-program' }, programs.map((program) => el('option', { value: program.key, text: program.label })))),
      el('div', { class: 'field' }, el('label', { for: 'survey-due', text: '回答期限' }), el('input', { id: 'survey-due', type: 'date', required: true, min: this.context.today })),
      el(
        'div',
        { class: 'field' },
        el('label', { for: 'survey-department', text: '照会する部局' }),
        el('select', { id: 'survey-department' }, el('option', { value: '', text: 'すべての部局' }), departments.map((department) => el('option', { value: department.code, text: department.name }))),
      ),
      el('div', { class: 'field' }, el('label', { for: 'survey-id', text: '照会ID' }), el('input', { id: 'survey-id', type: 'text', maxlength: 64, spellcheck: 'false', 'aria-describedby': 'survey-id-hint' }), el('p', { id: 'survey-id-hint', class: 'hint', text: '半角英数字と . _ -（空欄なら取組と期限から作ります）' })),
      el('div', { class: 'field field-actions' }, el('button', { type: 'submit', text: '照会を開始する' })),
      el('p', { id: 'survey-open-message', class: 'form-message', role: 'alert' }),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.openRound();
    });
    return el('details', { class: 'survey-open' }, el('summary', { text: '新しい照会を開始する' }), form);
  }

  async openRound() {
    const message = $('#survey-open-message');
    message.textContent = '';
    const program = $('#survey-program').value;
    const dueOn = $('#survey-due').value;
    const title = $('#survey-title').value.trim();
    if (!title || !dueOn) {
      message.textContent = !title ? '件名を入力してください。' : '回答期限を入力してください。';
      (!title ? $('#survey-title') : $('#survey-due')).focus();
      return;
    }
    const body = { id: $('#survey-id').value.trim() || `${program}-${dueOn}`, title, program, dueOn };
    if ($('#survey-department').value) body.departments = [$('#survey-department').value];
    try {
      const survey = await postJson('/api/v1/surveys', body);
      announce(`照会「${survey.title}」を${survey.divisions.length}課に開始しました`);
      $('#survey-open-form').reset();
      await this.reload();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return;
      message.textContent = error.message;
    }
  }

  renderStatus(body, surveys) {
    if (!surveys.length) {
      body.append(el('p', { class: 'section-note', text: 'まだ照会はありません。' }));
      return;
    }
    for (const survey of surveys) body.append(this.roundBlock(survey));
  }

  roundBlock(survey) {
    const office = this.me.role === 'admin';
    const counts = survey.counts;
    const tableId = `survey-table-${survey.id}`;
    const summary = `未回答 ${counts.waiting}・回答済 ${counts.answered}・差戻し ${counts.returned}・確認済 ${counts.confirmed}${counts.late ? `（期限超過 ${counts.late}）` : ''}`;
    const rows = survey.divisions.map((division) => {
      const name = division.division.name;
      const actions = el('div', { class: 'actions' });
      actions.append(el('button', { type: 'button', class: 'button-small button-secondary', 'aria-label': `${name}のシート`, text: 'シート', onclick: () => void this.downloadSheet(survey, division) }));
      if (office && division.status === 'answered') {
        actions.append(
          el('button', { type: 'button', class: 'button-small', 'aria-label': `${name}の回答を確認`, text: '確認', onclick: (event) => void this.settle(survey, division, 'confirm', event.currentTarget) }),
          el('button', { type: 'button', class: 'button-small button-secondary', 'aria-label': `${name}の回答を差し戻す`, text: '差戻し', onclick: (event) => void this.settle(survey, division, 'return', event.currentTarget) }),
        );
      }
      return el(
        'tr',
        { dataset: { division: division.division.code, status: division.status }, class: division.late ? 'is-late' : undefined },
        el('td', { 'data-label': '部局', text: division.department.name }),
        el('th', { scope: 'row', text: name }),
        el('td', { 'data-label': '状況' }, statusPill(division)),
        el('td', { 'data-label': '回答', text: answerText(division) }),
        // the reason while it stands (returned, or answered again after it); not once confirmed
        (() => {
          const reason = division.status !== 'confirmed' && division.status !== 'waiting' ? division.returnReason : null;
          return el('td', { 'data-label': reason ? (division.status === 'returned' ? '差戻しの理由' : '前回の差戻しの理由') : undefined, text: reason ?? '' });
        })(),
        el('td', {}, actions),
      );
    });
    return el(
      'article',
      { class: 'survey-round', dataset: { survey: survey.id } },
      el(
        'header',
        { class: 'survey-round-header' },
        el('h3', { text: survey.title }),
        el('p', { class: 'survey-meta', text: `${survey.programLabel}・回答期限 ${survey.dueOnLabel}・${summary}` }),
        el('button', { type: 'button', class: 'button-secondary button-small', text: '全課のシート（zip）', onclick: () => void this.downloadZip(survey) }),
      ),
      el(
        'div',
        { class: 'table-wrap', role: 'region', 'aria-label': `${survey.title}の回答状況`, tabindex: 0 },
        el(
          'table',
          { id: tableId, class: 'data-table stack-table stack-hide-head survey-table' },
          el('caption', { class: 'visually-hidden', text: `${survey.title}の回答状況（課ごと）` }),
          el('thead', {}, el('tr', {}, ['部局', '所管課', '状況', '回答', '差戻しの理由', '操作'].map((text) => el('th', { scope: 'col', text })))),
          el('tbody', {}, rows.length ? rows : messageRow(6, '回答先の課はありません')),
        ),
      ),
    );
  }

  async downloadZip(survey) {
    try {
      const { name } = await download(`/api/v1/surveys/${encodeURIComponent(survey.id)}/sheets.zip`, `survey-${survey.id}-sheets.zip`);
      announce(`${name} をダウンロードしました`);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) showError(`シートをダウンロードできませんでした: ${error.message}`);
    }
  }

  async settle(survey, division, action, trigger) {
    const path = `/api/v1/surveys/${encodeURIComponent(survey.id)}/divisions/${encodeURIComponent(division.division.code)}`;
    try {
      if (action === 'confirm') {
        await postJson(`${path}/confirm`, {});
        announce(`${division.division.name}の回答を確認しました`);
      } else {
        const reason = await askReason(`${survey.title}：${division.division.name}の回答（${answerText(division)}）`, trigger);
        if (reason === null) return;
        await postJson(`${path}/return`, { reason });
        announce(`${division.division.name}の回答を差し戻しました`);
      }
      await this.reload();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return;
      showError(error.message);
    }
  }
}

