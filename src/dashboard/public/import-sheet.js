import { ApiError, postFormWithProgress } from './api.js';
import { $, announce, clear, el } from './dom.js';
import { number } from './format.js';

// 「シートの取り込み」: choose the program and a file, 「確認する」 runs the import as a dry run and
// shows the counts and every row error (行・列・値・内容, the importer's own messages), 「取り込む」
// sends exactly the File object that was checked (kept here, not read again from the input) and
// applies it. The server limits editors to their own department's rows.

const LARGE_FILE_BYTES = 1024 * 1024;
const MAPPING_KEY = (program) => `procedure-tracker.header-mapping.${program}`;

/** Headers clerks commonly use for the program's columns: the first guess in the mapping form. */
const USUAL_HEADERS = {
  code: ['no', 'no.', '番号', '整理番号', '様式番号', '手続番号', 'id'],
  name: ['様式名', '手続名', '名前', '件名', '規定名', '様式名称', '手続名称'],
  division: ['担当課', '課名', '担当', '所属', '担当部署', '課'],
  status: ['状態', '進捗', 'ステータス'],
  completedOn: ['廃止日', '完了年月日', '対応日', '実施日', '完了予定日'],
  dueOn: ['期限', '予定', '目標日'],
  note: ['メモ', '摘要', '補足'],
};

const fold = (text) => String(text).normalize('NFKC').replace(/\s+/g, '').toLowerCase();

/** The mapping remembered for a program in this browser (localStorage), or null. */
export function rememberedMapping(program) {
  try {
    const stored = JSON.parse(localStorage.getItem(MAPPING_KEY(program)) ?? 'null');
    return stored && typeof stored === 'object' && stored.mapping ? stored : null;
  } catch {
    return null;
  }
}

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
    $('#import-mapping-apply').addEventListener('click', () => void this.checkWithMapping());
    $('#import-mapping-forget').addEventListener('click', () => {
      localStorage.removeItem(MAPPING_KEY($('#import-program').value));
      this.renderRemembered();
      announce('記憶した見出しの対応づけを消しました');
    });
  }

  reset() {
    this.checked = null;
    $('#import-apply').disabled = true;
    $('#import-result').hidden = true;
    $('#import-mapping').hidden = true;
    this.renderRemembered();
  }

  /** Says which remembered mapping the next check uses. */
  renderRemembered() {
    const program = $('#import-program').value;
    const remembered = program ? rememberedMapping(program) : null;
    const note = $('#import-remembered');
    const text = remembered ? this.describeMapping(program, remembered) : '';
    note.hidden = !text;
    $('#import-remembered-text').textContent = text ? `記憶した見出しの対応づけを使います: ${text}` : '';
  }

  describeMapping(program, { mapping, assignCodes }) {
    const columns = new Map(this.context.programByKey.get(program)?.fields.map((field) => [field.key, field.header]) ?? []);
    const parts = Object.entries(mapping).map(([header, key]) => `${header} → ${columns.get(key) ?? key}`);
    if (assignCodes) parts.push('管理番号は自動で付ける');
    return parts.join('、');
  }

  file() {
    return $('#import-file').files?.[0] ?? null;
  }

  /** Extra query parameters: the mapping remembered for the program, if any. */
  extraParameters() {
    const remembered = rememberedMapping($('#import-program').value);
    if (!remembered) return {};
    const extra = { mapping: JSON.stringify(remembered.mapping) };
    if (remembered.assignCodes) extra.assignCodes = 'true';
    return extra;
  }

  // --- header mapping --------------------------------------------------------------------------

  /** The header row was not found: one select per header the sheet has, guessed where we can. */
  showMapping(found) {
    const program = this.context.programByKey.get($('#import-program').value);
    const remembered = rememberedMapping(program.key)?.mapping ?? {};
    const byHeader = new Map(program.fields.map((field) => [fold(field.header), field.key]));
    const used = new Set();
    const container = clear($('#import-mapping-fields'));
    found.forEach((header, index) => {
      const id = `import-map-${index}`;
      let guess = remembered[header] ?? byHeader.get(fold(header)) ?? Object.entries(USUAL_HEADERS).find(([, names]) => names.includes(fold(header)))?.[0] ?? '';
      if (!program.fields.some((field) => field.key === guess) || used.has(guess)) guess = '';
      if (guess) used.add(guess);
      const select = el(
        'select',
        { id, dataset: { header } },
        el('option', { value: '', text: '（取り込まない）' }),
        program.fields.map((field) => el('option', { value: field.key, text: field.required ? `${field.header}（必須）` : field.header, selected: field.key === guess })),
      );
      container.append(el('div', { class: 'field' }, el('label', { for: id, text: header }), select));
    });
    $('#import-mapping-found').textContent = `シートの見出し（${found.join('・')}）を、この取組の列に対応づけてください。必須の列は 名称・所管課・状況 と 管理番号 です（管理番号の列がなければ、自動で付けることもできます）。`;
    $('#import-assign-codes').checked = Boolean(rememberedMapping(program.key)?.assignCodes);
    $('#import-mapping').hidden = false;
    container.querySelector('select')?.focus();
  }

  mappingFromForm() {
    const program = this.context.programByKey.get($('#import-program').value);
    const mapping = {};
    for (const select of $('#import-mapping-fields').querySelectorAll('select')) {
      if (!select.value) continue;
      const field = program.fields.find((candidate) => candidate.key === select.value);
      const header = select.dataset.header;
      // a header the importer knows already needs no entry
      if (field && (fold(header) === fold(field.header) || fold(header) === fold(field.key))) continue;
      mapping[header] = select.value;
    }
    return mapping;
  }

  async checkWithMapping() {
    const program = $('#import-program').value;
    const mapping = this.mappingFromForm();
    const keys = Object.values(mapping);
    const twice = keys.find((key, index) => keys.indexOf(key) !== index);
    if (twice) {
      const header = this.context.programByKey.get(program).fields.find((field) => field.key === twice)?.header ?? twice;
      this.showMessage(`列「${header}」に二つの見出しが対応づけられています。一つにしてください。`, 'error');
      $('#import-mapping').hidden = false;
      return;
    }
    const assignCodes = $('#import-assign-codes').checked;
    // remembered for this program's next upload, in this browser only
    localStorage.setItem(MAPPING_KEY(program), JSON.stringify({ mapping, assignCodes }));
    const extra = { mapping: JSON.stringify(mapping) };
    if (assignCodes) extra.assignCodes = 'true';
    await this.check(extra);
  }

  async send(file, program, dryRun, extra) {
    const parameters = new URLSearchParams({ dryRun: String(dryRun), ...extra });
    const form = new FormData();
    form.append('file', file.bytes, file.name);
    this.showProgress(dryRun ? `「${file.name}」を確認しています…` : `「${file.name}」を取り込んでいます…`, file);
    try {
      const result = await postFormWithProgress(`/api/v1/imports/${encodeURIComponent(program)}?${parameters}`, form, (progress) => this.updateProgress(progress, dryRun));
      return { ok: true, result };
    } catch (error) {
      if (error instanceof ApiError && error.status === 422 && error.body && error.body.summary) return { ok: false, result: error.body };
      throw error;
    } finally {
      this.hideProgress();
    }
  }

  showProgress(text, file) {
    this.busy = true;
    this.large = file.size >= LARGE_FILE_BYTES;
    $('#import-check').disabled = true;
    $('#import-apply').disabled = true;
    const bar = $('#import-progress-bar');
    bar.removeAttribute('value');
    $('#import-progress-text').textContent = this.large ? `${text}（${megabytes(file.size)}。大きなファイルは数十秒かかることがあります）` : text;
    $('#import-progress').hidden = false;
    $('#import-section').setAttribute('aria-busy', 'true');
  }

  /** The bar fills while the file goes up; then it runs (no known end) while the server checks every row. */
  updateProgress({ sent, total, uploaded }, dryRun) {
    const bar = $('#import-progress-bar');
    if (uploaded) {
      bar.removeAttribute('value');
      $('#import-progress-text').textContent = dryRun ? 'サーバーで全行を確認しています…' : 'サーバーで書き込んでいます…';
      return;
    }
    if (!this.large || !total) return;
    bar.max = total;
    bar.value = sent;
    $('#import-progress-text').textContent = `送信しています… ${megabytes(sent)} / ${megabytes(total)}（${Math.floor((100 * sent) / total)}%）`;
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
    let checkedFile;
    try {
      // the bytes as they are now: 取り込む sends these even if the file on disk changes meanwhile
      checkedFile = { name: file.name, size: file.size, bytes: new Blob([await file.arrayBuffer()], { type: file.type }) };
    } catch {
      this.showMessage(`「${file.name}」を読めませんでした。ファイルを選び直してください。`, 'error');
      return;
    }
    try {
      const { ok, result } = await this.send(checkedFile, program, true, extra);
      this.showResult(result, { dryRun: true });
      const clean = ok && result.summary.errors === 0;
      this.checked = clean ? { file: checkedFile, program, extra } : null;
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
    const found = error instanceof ApiError && error.code === 'header_not_found' ? error.details?.foundHeaders : null;
    if (Array.isArray(found) && found.length) this.showMapping(found);
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
