import { ApiError, download, getJson, postJson } from './api.js';
import { announce, clear, el, showError } from './dom.js';
import { number, timestamp } from './format.js';

// 根拠資料 (evidence files) of one item, in a dialog opened from its row: everyone who may read the
// item lists and downloads them; an editor of the item's department (or an admin) attaches one. The
// server checks the type from the bytes and the size (ATTACHMENT_LIMIT_MB); its message is shown.

const ACCEPT = '.pdf,.xlsx,.docx,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg';

function sizeText(bytes) {
  if (bytes < 1024) return `${number(bytes)} B`;
  if (bytes < 1024 * 1024) return `${number(Math.round(bytes / 1024))} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export class AttachmentsDialog {
  constructor(context) {
    this.context = context;
    this.item = null;
    this.trigger = null;
    this.dialog = el('dialog', { id: 'attachments-dialog', class: 'dialog dialog-wide', 'aria-labelledby': 'attachments-title' });
    this.dialog.addEventListener('close', () => {
      if (this.trigger?.isConnected) this.trigger.focus();
    });
    document.body.append(this.dialog);
  }

  /** Opens the dialog for an item; `canAttach`: the user may change this item. */
  async open(item, trigger, canAttach) {
    this.item = item;
    this.trigger = trigger;
    const program = this.context.programByKey.get(item.program);
    const fileInput = el('input', { id: 'attachment-file', type: 'file', accept: ACCEPT, 'aria-describedby': 'attachment-hint' });
    const message = el('p', { id: 'attachment-message', class: 'form-message', role: 'alert' });
    const attach = el('button', { type: 'button', text: '添付する' });
    attach.addEventListener('click', () => void this.attach(fileInput, message, attach));
    const parts = [
      el('h2', { id: 'attachments-title', text: '根拠資料' }),
      el('p', { class: 'edit-current', text: `${item.code} ${item.name}（${item.division.name}）` }),
      program?.evidenceForDone ? el('p', { class: 'hint', text: `${program.label}では、完了にする前に根拠資料（改正後の様式・規定など）を1件以上添付します。` }) : null,
      el(
        'div',
        { class: 'table-wrap' },
        el(
          'table',
          { id: 'attachments-table', class: 'data-table' },
          el('caption', { class: 'visually-hidden', text: `${item.code}の根拠資料` }),
          el('thead', {}, el('tr', {}, ['ファイル', '大きさ', '添付した人', '日時'].map((text) => el('th', { scope: 'col', text })))),
          el('tbody', {}, el('tr', {}, el('td', { class: 'empty', colspan: 4, text: '読み込んでいます…' }))),
        ),
      ),
      canAttach
        ? el(
            'div',
            { class: 'attachment-form' },
            el('div', { class: 'field' }, el('label', { for: 'attachment-file', text: '添付するファイル' }), fileInput, el('p', { id: 'attachment-hint', class: 'hint', text: 'PDF、Excel（xlsx）、Word（docx）、PNG、JPEG。' })),
            attach,
          )
        : null,
      message,
      el('div', { class: 'dialog-actions' }, el('button', { type: 'button', class: 'button-secondary', text: '閉じる', onclick: () => this.dialog.close() })),
    ];
    // (Node.append would write a left-out part as the text "null")
    clear(this.dialog).append(...parts.filter(Boolean));
    this.dialog.showModal();
    await this.reload();
  }

  async reload() {
    const body = this.dialog.querySelector('#attachments-table tbody');
    try {
      const { attachments } = await getJson(`/api/v1/items/${this.item.id}/attachments`);
      clear(body);
      if (!attachments.length) body.append(el('tr', {}, el('td', { class: 'empty', colspan: 4, text: '根拠資料はまだありません。' })));
      for (const attachment of attachments) {
        body.append(
          el(
            'tr',
            { dataset: { attachment: attachment.id } },
            el(
              'td',
              {},
              el('button', {
                type: 'button',
                class: 'link-button',
                text: attachment.fileName,
                'aria-label': `${attachment.fileName}をダウンロード`,
                onclick: () => void this.download(attachment),
              }),
            ),
            el('td', { class: 'number nowrap', text: sizeText(attachment.size) }),
            el('td', { text: attachment.uploadedBy }),
            el('td', { text: timestamp(attachment.uploadedAt) }),
          ),
        );
      }
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return;
      clear(body).append(el('tr', {}, el('td', { class: 'empty', colspan: 4, text: `根拠資料を読み込めませんでした: ${error.message}` })));
    }
  }

  async attach(input, message, button) {
    message.textContent = '';
    const file = input.files?.[0];
    if (!file) {
      message.textContent = '添付するファイルを選んでください。';
      input.focus();
      return;
    }
    const form = new FormData();
    form.append('file', file);
    button.disabled = true;
    try {
      const saved = await postJson(`/api/v1/items/${this.item.id}/attachments`, form);
      input.value = '';
      announce(`${this.item.code}に「${saved.fileName}」を添付しました`);
      await this.reload();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return;
      // the server's message names the file and what is wrong (type, content, size)
      message.textContent = `添付できませんでした: ${error.message}`;
    } finally {
      button.disabled = false;
    }
  }

  async download(attachment) {
    try {
      const { name } = await download(attachment.url, attachment.fileName);
      announce(`${name} をダウンロードしました`);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) showError(`根拠資料をダウンロードできませんでした: ${error.message}`);
    }
  }
}
