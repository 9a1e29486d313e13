import { ApiError, postForm } from './api.js';
import { $, announce, clear, el } from './dom.js';
import { number } from './format.js';

// 「シートの取り込み」: choose the program and a file, 「確認する」 runs the import as a dry run and
// shows the counts and every row error (行・列・値・内容, the importer's own messages), 「取り込む」
// sends exactly the File object that was checked (kept here, not read again from the input) and
// applies it. The server limits editors to their own department's rows.

const LARGE_FILE_BYTES = 1024 * 1024;

function megabytes(bytes) {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export class ImportPanel {
  constructor(context, onApplied) {
    this.context = context;
    this.onApplied = onApplied;
    /** The last dry run: which file, for which program, with which mapping, and whether it was clean. */
    this.checked = null;
    this.busy = false;
    this.wire();
  }

  configure() {
    const select = clear($('#import-program'));
    select.append(...this.context.programs.map((program) => el('option', { value: program.key, text: program.label })));
    const canImport = this.context.me.canEdit;
    $('#import-check').disabled = !canImport;
    $('#import-file').disabled = !canImport;
    $('#import-section').dataset.readOnly = canImport ? 'false' : 'true';
    this.reset();
  }

  wire() {
    $('#import-form').addEventListener('submit', (event) => {
      event.preventDefault();
      void this.check();
    });
    $('#import-apply').addEventListener('click', () => void this.apply());
    // another file or program: the check no longer holds
    $('#import-file').addEventListener('change', () => this.reset());
    $('#import-program').addEventListener('change', () => this.reset());
  }

  reset() {
    this.checked = null;
    $('#import-apply').disabled = true;
    $('#import-result').hidden = true;
    $('#import-mapping').hidden = true;
  }

  file() {
    return $('#import-file').files?.[0] ?? null;
  }

  /** Extra query parameters (the header mapping, code assignment): none in the plain flow. */
  extraParameters() {
    return {};
  }

  async send(file, program, dryRun, extra) {
    const parameters = new URLSearchParams({ dryRun: String(dryRun), ...extra });
    const form = new FormData();
    form.append('file', file, file.name);
    this.showProgress(dryRun ? `「${file.name}」を確認しています…` : `「${file.name}」を取り込んでいます…`, file);
    try {
      return { ok: true, result: await postForm(`/api/v1/imports/${encodeURIComponent(program)}?${parameters}`, form) };
    } catch (error) {
      if (error instanceof ApiError && error.status === 422 && error.body && error.body.summary) return { ok: false, result: error.body };
      throw error;
    } finally {
      this.hideProgress();
    }
  }

  showProgress(text, file) {
    this.busy = true;
    $('#import-check').disabled = true;
    $('#import-apply').disabled = true;
    // the server reads and checks the whole file before it answers: the bar runs until then
    $('#import-progress-text').textContent = file.size >= LARGE_FILE_BYTES ? `${text}（${megabytes(file.size)}。大きなファイルは数十秒かかることがあります）` : text;
    $('#import-progress').hidden = false;
    $('#import-section').setAttribute('aria-busy', 'true');
  }

  hideProgress() {
    this.busy = false;
    $('#import-check').disabled = !this.context.me.canEdit;
    $('#import-progress').hidden = true;
    $('#import-section').removeAttribute('aria-busy');
  }

  async check(extra = this.extraParameters()) {
    if (this.busy) return;
    const file = this.file();
    const program = $('#import-program').value;
    if (!file) {
      this.showMessage('ファイルを選んでください。', 'error');
      $('#import-file').focus();
      return;
    }
    this.reset();
    try {
      const { ok, result } = await this.send(file, program, true, extra);
      this.showResult(result, { dryRun: true });
      const clean = ok && result.summary.errors === 0;
      this.checked = clean ? { file, program, extra } : null;
      $('#import-apply').disabled = !clean;
      announce(clean ? '確認しました。誤りはありません。「取り込む」で登録できます' : `確認しました。誤りが${number(result.summary.errors)}件あります`);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return;
      this.showFileError(error, { file, program });
    }
  }

  async apply() {
    if (this.busy || !this.checked) return;
    const { file, program, extra } = this.checked;
    try {
      const { ok, result } = await this.send(file, program, false, extra);
      this.showResult(result, { dryRun: false });
      this.checked = null;
      $('#import-apply').disabled = true;
      if (ok && result.applied) {
        announce(`取り込みました（新規 ${number(result.summary.created)}件、更新 ${number(result.summary.updated)}件）`);
        await this.onApplied();
      }
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return;
      this.showFileError(error, { file, program });
    }
  }

  /** A whole-file problem (header not found, unreadable, too large, a conflict): its message. */
  showFileError(error) {
    this.showMessage(`取り込めませんでした: ${error.message}`, 'error');
  }

  showMessage(text, kind) {
    $('#import-result').hidden = false;
    $('#import-result').dataset.state = kind;
    $('#import-result-text').textContent = text;
    clear($('#import-counts'));
    clear($('#import-warnings'));
    $('#import-errors-wrap').hidden = true;
    clear($('#import-errors').tBodies[0]);
  }

  showResult(result, { dryRun }) {
    const { summary } = result;
    const errors = summary.errors > 0;
    const text = errors
      ? `誤りが${number(summary.errors)}件あります。何も書き込んでいません。シートを直してから、もう一度「確認する」を押してください。`
      : dryRun
        ? `誤りはありません。「取り込む」を押すと、次のとおり登録・更新します。`
        : `取り込みました。`;
    this.showMessage(text, errors ? 'error' : dryRun ? 'checked' : 'applied');
    const counts = [
      ['読んだ行', summary.rows],
      [dryRun ? '新規に登録' : '新規に登録した', summary.created],
      [dryRun ? '更新' : '更新した', summary.updated],
      ['変更なし', summary.unchanged],
      ['誤り', summary.errors],
    ];
    $('#import-counts').append(...counts.map(([label, value]) => el('div', { dataset: { count: label } }, el('dt', { text: label }), el('dd', { text: `${number(value)}件` }))));
    const warnings = $('#import-warnings');
    for (const warning of result.warnings ?? []) warnings.append(el('li', { text: warning.message }));
    if (errors) {
      const body = $('#import-errors').tBodies[0];
      for (const error of result.errors) {
        body.append(
          el(
            'tr',
            { dataset: { row: error.row } },
            el('td', { class: 'number', text: error.row || '—' }),
            el('td', { class: 'nowrap', text: error.column || '—' }),
            el('td', { class: 'value', text: error.value ?? '' }),
            el('td', { text: `${error.message}` }, el('span', { class: 'error-code', text: ` [${error.code}]` })),
          ),
        );
      }
      $('#import-errors-caption').textContent = result.errorsOmitted
        ? `誤りのある行（先頭${number(result.errors.length)}件を表示。ほかに${number(result.errorsOmitted)}件）`
        : `誤りのある行（${number(result.errors.length)}件）`;
      $('#import-errors-wrap').hidden = false;
    }
  }
}
