import { $, el } from './dom.js';

// The reason for a return (差戻し), asked in a modal dialog: an item's reported completion or a
// division's answer to a 照会. Resolves with the reason typed, or null when cancelled.

let dialog = null;

function build() {
  dialog = el(
    'dialog',
    { id: 'return-dialog', class: 'dialog', 'aria-labelledby': 'return-title' },
    el(
      'form',
      { id: 'return-form', method: 'dialog', novalidate: true },
      el('h2', { id: 'return-title', text: '差戻し' }),
      el('p', { id: 'return-subject', class: 'edit-current' }),
      el(
        'div',
        { class: 'field' },
        el('label', { for: 'return-reason', text: '差戻しの理由' }),
        el('textarea', { id: 'return-reason', rows: 3, maxlength: 2000, required: true, 'aria-describedby': 'return-message' }),
      ),
      el('p', { id: 'return-message', class: 'form-message', role: 'alert' }),
      el('div', { class: 'dialog-actions' }, el('button', { id: 'return-submit', type: 'submit', text: '差し戻す' }), el('button', { id: 'return-cancel', type: 'button', class: 'button-secondary', text: 'キャンセル' })),
    ),
  );
  document.body.append(dialog);
}

/** Opens the dialog about `subject`; focus returns to `trigger` afterwards. */
export function askReason(subject, trigger) {
  if (!dialog) build();
  $('#return-subject').textContent = subject;
  $('#return-reason').value = '';
  $('#return-message').textContent = '';
  return new Promise((resolve) => {
    const form = $('#return-form');
    const finish = (value) => {
      form.removeEventListener('submit', onSubmit);
      $('#return-cancel').removeEventListener('click', onCancel);
      dialog.removeEventListener('close', onClose);
      if (dialog.open) dialog.close();
      if (trigger?.isConnected) trigger.focus();
      resolve(value);
    };
    const onSubmit = (event) => {
      event.preventDefault();
      const reason = $('#return-reason').value.trim();
      if (!reason) {
        $('#return-message').textContent = '差戻しの理由を入力してください。';
        $('#return-reason').focus();
        return;
      }
      finish(reason);
    };
    const onCancel = () => finish(null);
    const onClose = () => finish(null);
    form.addEventListener('submit', onSubmit);
    $('#return-cancel').addEventListener('click', onCancel);
    dialog.addEventListener('close', onClose);
    dialog.showModal();
    $('#return-reason').focus();
  });
}
