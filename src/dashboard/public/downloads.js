import { ApiError, download } from './api.js';
import { $, announce, clear, el, showError } from './dom.js';

// Download links. They are real links (the address is visible and copyable), but a click fetches
// the file with the token and saves it through a Blob URL, since a plain link cannot send it.

export function renderDownloads({ asOf, programOrder, programByKey }) {
  const list = clear($('#downloads'));
  const entries = [
    {
      href: `/api/v1/reports/compliance.xlsx?asOf=${encodeURIComponent(asOf)}`,
      label: `進捗報告ワークブック（基準日 ${asOf}）`,
      kind: 'Excel',
      fallbackName: `compliance-${asOf}.xlsx`,
      id: 'download-compliance',
    },
    ...programOrder.map((key) => ({
      href: `/api/v1/programs/${key}/items.csv`,
      label: `${programByKey.get(key).label}の一覧`,
      kind: 'CSV',
      fallbackName: `${key}-items.csv`,
      id: `download-${key}-csv`,
    })),
  ];
  for (const entry of entries) {
    const link = el('a', { href: entry.href, id: entry.id, dataset: { download: entry.fallbackName } }, el('span', { class: 'file-kind', text: entry.kind }), entry.label);
    link.addEventListener('click', (event) => {
      event.preventDefault();
      void save(link, entry);
    });
    list.append(el('li', {}, link));
  }
}

/** The division-sheet form: the program, and the divisions this user may download. */
export function configureSheetDownloads({ programs, organization, me }) {
  clear($('#sheet-program')).append(...programs.map((program) => el('option', { value: program.key, text: program.label })));
  // editors download their own department's divisions (the server checks it too)
  const departments = organization.departments.filter((department) => me.role !== 'editor' || department.code === me.department?.code);
  const select = clear($('#sheet-division'));
  for (const department of departments) {
    if (!department.divisions.length) continue;
    select.append(el('optgroup', { label: department.name }, department.divisions.map((division) => el('option', { value: division.code, text: division.name }))));
  }
}

export function wireSheetDownloads() {
  $('#sheet-download-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const program = $('#sheet-program').value;
    const division = $('#sheet-division');
    if (!division.value) return;
    const name = division.selectedOptions[0]?.textContent ?? division.value;
    void save($('#sheet-download'), {
      href: `/api/v1/programs/${encodeURIComponent(program)}/sheet.xlsx?division=${encodeURIComponent(division.value)}`,
      label: `${name}のシート`,
      fallbackName: `${program}-${division.value}.xlsx`,
    });
  });
  $('#template-download').addEventListener('click', () => {
    const program = $('#sheet-program').value;
    void save($('#template-download'), {
      href: `/api/v1/programs/${encodeURIComponent(program)}/template.xlsx`,
      label: '空のテンプレート',
      fallbackName: `${program}-template.xlsx`,
    });
  });
}

async function save(link, entry) {
  if (link.getAttribute('aria-busy') === 'true') return;
  link.setAttribute('aria-busy', 'true');
  announce(`${entry.label}を準備しています…`);
  try {
    const { name } = await download(entry.href, entry.fallbackName);
    announce(`${name} をダウンロードしました`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return;
    if (error instanceof ApiError && error.status === 404 && error.code !== 'not_found') showError(error.message);
    else if (error instanceof ApiError && error.status === 404) showError(`${entry.label}はこのサーバーではまだ出力できません（${entry.href}）`);
    else showError(`${entry.label}をダウンロードできませんでした: ${error.message}`);
  } finally {
    link.removeAttribute('aria-busy');
  }
}
