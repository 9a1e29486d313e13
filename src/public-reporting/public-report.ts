import { formatWarekiDate } from '../calendar';
import { getProgram, programLabel } from '../programs/program-definitions';
import { ProgramKey } from '../programs/program.types';
import { Verdict, VERDICT_LABELS } from '../progress/progress-math';
import { CSV_BOM, CSV_EOL, csvRecord } from '../sheets/csv-writer';
import type { ProgressReport } from '../progress/progress.service';
import type { TakeUpReport } from '../volumes/volumes.service';
import { PublicReform, publicReformCsvRows, renderPublicReformSection } from './public-reform';
import { escapeHtml } from '../common/html';

// The public report (PUBLIC_REPORTING=on): aggregates only, copied field by field from an
// explicit allow-list. Internal objects are never spread into it, so a field added inside the
// tracker (a note, a user name, an item's name or history) cannot leak out by accident.

export const LICENSE = {
  name: 'CC BY 4.0',
  title: 'クリエイティブ・コモンズ 表示 4.0 国際',
  url: 'https://creativecommons.org/licenses/by/4.0/deed.ja',
  notice: 'このデータはクリエイティブ・コモンズ 表示 4.0 国際 ライセンス（CC BY 4.0）の下に提供されています。出典を表示すれば、複製・加工・再配布・商用利用ができます。',
} as const;

export const PUBLIC_TITLE = '行政手続のデジタル化 取組状況';

export interface PublicTarget {
  id: string;
  label: string;
  program: string;
  programLabel: string;
  deadline: string;
  deadlineLabel: string;
  total: number;
  done: number;
  excluded: number;
  remaining: number;
  percent: number | null;
  verdict: string;
  verdictLabel: string;
}

export interface PublicDepartment {
  department: string;
  departmentCode: string;
  program: string;
  programLabel: string;
  total: number;
  done: number;
  excluded: number;
  remaining: number;
  percent: number | null;
}

export interface PublicTakeUpRow {
  nationalGroup: string | null;
  label: string;
  procedures: number;
  online: number;
  offline: number;
  takeUp: number | null;
}

export interface PublicReport {
  title: string;
  asOf: string;
  asOfLabel: string;
  license: { name: string; title: string; url: string; notice: string };
  targets: PublicTarget[];
  departments: PublicDepartment[];
  takeUp: {
    from: string;
    to: string;
    fromLabel: string;
    toLabel: string;
    groups: PublicTakeUpRow[];
    total: { online: number; offline: number; takeUp: number | null };
  };
  /** The reform policy's areas and initiatives (no comments); null when it has no initiatives. */
  reform: PublicReform | null;
}


export function buildPublicReport(progress: ProgressReport, takeUp: TakeUpReport, reform: PublicReform | null = null): PublicReport {
  return {
    title: PUBLIC_TITLE,
    asOf: progress.asOf,
    asOfLabel: formatWarekiDate(progress.asOf),
    license: { name: LICENSE.name, title: LICENSE.title, url: LICENSE.url, notice: LICENSE.notice },
    targets: progress.targets.map((target) => ({
      id: target.id,
      label: target.label,
      program: target.program,
      programLabel: programLabel(target.program),
      deadline: target.deadline,
      deadlineLabel: target.deadlineLabel,
      total: target.total,
      done: target.done,
      excluded: target.excluded,
      remaining: target.remaining,
      percent: target.percent,
      verdict: target.verdict,
      verdictLabel: VERDICT_LABELS[target.verdict as Verdict] ?? target.verdict,
    })),
    departments: progress.departments.map((row) => ({
      department: row.department,
      departmentCode: row.departmentCode,
      program: row.program,
      programLabel: programLabel(row.program),
      total: row.total,
      done: row.done,
      excluded: row.excluded,
      remaining: row.remaining,
      percent: row.percent,
    })),
    takeUp: {
      from: takeUp.from,
      to: takeUp.to,
      fromLabel: takeUp.fromLabel,
      toLabel: takeUp.toLabel,
      groups: takeUp.groups.map((group) => ({
        nationalGroup: group.nationalGroup,
        label: group.label,
        procedures: group.procedures,
        online: group.online,
        offline: group.offline,
        takeUp: group.takeUp,
      })),
      total: { online: takeUp.total.online, offline: takeUp.total.offline, takeUp: takeUp.total.takeUp },
    },
    reform,
  };
}

// ---------------------------------------------------------------------------
// CSV: UTF-8 with BOM, CRLF. The first line is a '#' comment carrying the licence (read it with
// a comment character of '#', e.g. pandas read_csv(comment='#')); then one header row and one
// table in long form: 区分 says whether a row is a target, a department or a take-up figure.

export const CSV_HEADERS = [
  '区分',
  '基準日',
  '目標ID',
  '名称',
  '取組',
  '部局',
  '期限',
  '期限（和暦）',
  '対象数',
  '完了数',
  '対象外数',
  '残数',
  '進捗率（%）',
  '判定',
  '期間開始',
  '期間終了',
  'オンライン件数',
  '窓口件数',
  'オンライン利用率（%）',
] as const;

type CsvHeader = (typeof CSV_HEADERS)[number];

export function renderPublicCsv(report: PublicReport): string {
  const rows: Partial<Record<CsvHeader, string | number | null>>[] = [];
  for (const target of report.targets) {
    rows.push({
      区分: '目標',
      目標ID: target.id,
      名称: target.label,
      取組: target.programLabel,
      期限: target.deadline,
      '期限（和暦）': target.deadlineLabel,
      対象数: target.total,
      完了数: target.done,
      対象外数: target.excluded,
      残数: target.remaining,
      '進捗率（%）': target.percent,
      判定: target.verdictLabel,
    });
  }
  for (const row of report.departments) {
    rows.push({
      区分: '部局',
      取組: row.programLabel,
      部局: row.department,
      対象数: row.total,
      完了数: row.done,
      対象外数: row.excluded,
      残数: row.remaining,
      '進捗率（%）': row.percent,
    });
  }
  const { takeUp } = report;
  for (const group of [...takeUp.groups, { label: '合計', procedures: null, ...takeUp.total }]) {
    rows.push({
      区分: 'オンライン利用率',
      名称: group.label,
      取組: getProgram('online').label,
      期間開始: takeUp.from,
      期間終了: takeUp.to,
      オンライン件数: group.online,
      窓口件数: group.offline,
      'オンライン利用率（%）': group.takeUp,
    });
  }
  if (report.reform) rows.push(...(publicReformCsvRows(report.reform) as typeof rows));
  // No comma in the comment line: a spreadsheet keeps it in one cell.
  const comment = `# ${report.title}／ライセンス: ${LICENSE.name}（${LICENSE.title}） ${LICENSE.url}／基準日 ${report.asOf}${CSV_EOL}`;
  const records = rows.map((row) => csvRecord(CSV_HEADERS.map((header) => (header === '基準日' ? report.asOf : row[header]))));
  return CSV_BOM + comment + csvRecord(CSV_HEADERS) + records.join('');
}

// ---------------------------------------------------------------------------
// HTML: server-rendered, every text escaped, no script (the page works with scripts off and
// under the strict content security policy); the style sheet comes from /public/public.css.


const number = (value: number) => escapeHtml(value.toLocaleString('ja-JP'));

function percentCell(value: number | null): string {
  if (value === null) return '<td class="num">—</td>';
  return `<td class="num"><span class="pct">${escapeHtml(value.toFixed(1))}%</span> <progress max="100" value="${escapeHtml(value)}">${escapeHtml(value.toFixed(1))}%</progress></td>`;
}

function table(caption: string, headers: string[], rows: string[][]): string {
  const head = headers.map((header) => `<th scope="col">${escapeHtml(header)}</th>`).join('');
  const body = rows.length ? rows.map((cells) => `<tr>${cells.join('')}</tr>`).join('\n') : `<tr><td colspan="${headers.length}">データがありません</td></tr>`;
  return `<table>\n<caption>${escapeHtml(caption)}</caption>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

const td = (text: string | number, className?: string) => `<td${className ? ` class="${className}"` : ''}>${escapeHtml(text)}</td>`;

export function renderPublicHtml(report: PublicReport): string {
  const targets = table(
    '目標ごとの進捗',
    ['目標', '取組', '期限', '全件', '完了', '対象外', '残り', '進捗率', '判定'],
    report.targets.map((target) => [
      td(target.label),
      td(target.programLabel),
      `<td><time datetime="${escapeHtml(target.deadline)}">${escapeHtml(target.deadlineLabel)}</time></td>`,
      `<td class="num">${number(target.total)}</td>`,
      `<td class="num">${number(target.done)}</td>`,
      `<td class="num">${number(target.excluded)}</td>`,
      `<td class="num">${number(target.remaining)}</td>`,
      percentCell(target.percent),
      td(target.verdictLabel, `verdict verdict-${target.verdict}`),
    ]),
  );
  const departments = table(
    '部局別の進捗',
    ['部局', '取組', '全件', '完了', '対象外', '残り', '進捗率'],
    report.departments.map((row) => [
      td(row.department),
      td(row.programLabel),
      `<td class="num">${number(row.total)}</td>`,
      `<td class="num">${number(row.done)}</td>`,
      `<td class="num">${number(row.excluded)}</td>`,
      `<td class="num">${number(row.remaining)}</td>`,
      percentCell(row.percent),
    ]),
  );
  const { takeUp } = report;
  const takeUpRows = [...takeUp.groups, { label: '合計', procedures: takeUp.groups.reduce((sum, group) => sum + group.procedures, 0), ...takeUp.total }];
  const takeUpTable = table(
    `オンライン利用率（${takeUp.fromLabel}〜${takeUp.toLabel}）`,
    ['区分', '手続数', 'オンライン件数', '窓口件数', 'オンライン利用率'],
    takeUp.groups.length
      ? takeUpRows.map((row) => [td(row.label), `<td class="num">${number(row.procedures)}</td>`, `<td class="num">${number(row.online)}</td>`, `<td class="num">${number(row.offline)}</td>`, percentCell(row.takeUp)])
      : [],
  );
  return `<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(report.title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/public/public.css">
<link rel="license" href="${escapeHtml(LICENSE.url)}">
<link rel="alternate" type="application/json" href="/api/v1/public/progress.json">
<link rel="alternate" type="text/csv" href="/api/v1/public/progress.csv">
</head>
<body>
<header>
<h1>${escapeHtml(report.title)}</h1>
<p>オンライン化・押印廃止・アナログ規制の見直しの進み具合です。基準日: <time datetime="${escapeHtml(report.asOf)}">${escapeHtml(report.asOfLabel)}</time></p>
</header>
<main>
<section>
<h2>目標ごとの進捗</h2>
<p class="note">進捗率 = 完了 ÷（対象 − 対象外）。対象外は、法令で押印が必要なものなど取組の対象から外れたものです。</p>
${targets}
</section>
<section>
<h2>部局別の進捗</h2>
${departments}
</section>
<section>
<h2>オンライン利用率（${escapeHtml(takeUp.fromLabel)}〜${escapeHtml(takeUp.toLabel)}）</h2>
<p class="note">オンライン化した手続で、受け付けた件数のうちオンラインで届いた割合です（オンライン件数 ÷（オンライン件数 + 窓口・紙の件数））。</p>
${takeUpTable}
</section>
${report.reform ? renderPublicReformSection(report.reform) : ''}
<section>
<h2>オープンデータ</h2>
<ul>
<li><a href="/api/v1/public/progress.json">JSON（progress.json）</a></li>
<li><a href="/api/v1/public/progress.csv">CSV（progress.csv、UTF-8・BOM付き、1行目はライセンスの注記）</a></li>
</ul>
</section>
</main>
<footer>
<p>${escapeHtml(LICENSE.notice)} <a rel="license" href="${escapeHtml(LICENSE.url)}">${escapeHtml(LICENSE.title)}（${escapeHtml(LICENSE.name)}）</a></p>
</footer>
</body>
</html>
`;
}

export const PUBLIC_CSS = `body { font-family: "BIZ UDPGothic", "Hiragino Sans", "Yu Gothic", Meiryo, sans-serif; margin: 0 auto; max-width: 72rem; padding: 1rem 1.5rem 3rem; color: #1a1a1a; line-height: 1.6; }
h1 { font-size: 1.6rem; border-bottom: 4px solid #0b5cad; padding-bottom: .3rem; }
h2 { font-size: 1.25rem; margin-top: 2rem; border-left: 6px solid #0b5cad; padding-left: .5rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .95rem; }
/* captions name the tables for screen readers; the heading above already shows it */
caption { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
th, td { border: 1px solid #c8c8c8; padding: .35rem .5rem; vertical-align: middle; }
th { background: #eef3f9; text-align: left; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
progress { width: 6rem; height: .8rem; vertical-align: middle; }
.pct { display: inline-block; min-width: 3.5rem; }
.note { color: #444; font-size: .9rem; }
.verdict-met { color: #0a6b2d; font-weight: bold; }
.verdict-on_track { color: #0a6b2d; }
.verdict-at_risk { color: #8a5a00; font-weight: bold; }
.verdict-behind, .verdict-missed { color: #b00020; font-weight: bold; }
footer { margin-top: 2.5rem; border-top: 1px solid #c8c8c8; padding-top: .75rem; font-size: .85rem; color: #444; }
`;
