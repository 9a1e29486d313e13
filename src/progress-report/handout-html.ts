import { formatDueDate, formatWarekiDate, formatWarekiMonth, monthOf } from '../calendar';
import { escapeHtml } from '../common/html';
import { InitiativeProgress } from '../reform/reform-progress';
import { burnupSvg, progressBarSvg } from './burnup-svg';
import { HandoutCount, HandoutData, HandoutTableRow, HandoutTarget } from './handout-data';
import { HANDOUT_CSS } from './handout-css';

// The printed progress report (進捗報告): one HTML page that prints on two A4 pages. The same
// markup is served at GET /report (its CSS from /report/report.css, as the page's CSP wants) and
// rendered to PDF by the CLI (CSS inline). Pure: data in, markup out.

const e = escapeHtml;
const percentText = (value: number | null) => (value === null ? '—' : `${value.toFixed(1)}%`);
const count = (value: number) => value.toLocaleString('ja-JP');
const pace = (value: number | null) => (value === null ? '—' : `${value.toFixed(1)}件/月`);

function targetCard(target: HandoutTarget, asOf: string): string {
  const projection =
    target.verdict === 'met' ? '達成済み' : target.projectedCompletion ? `${formatWarekiMonth(monthOf(target.projectedCompletion))}ごろ` : '見込めません（この半年の完了なし）';
  const variance = target.plannedToDate === null ? 0 : target.done - target.plannedToDate;
  // the dashboard's term: completions a division reported, awaiting the office's confirmation
  const reported = target.reported === null ? '' : `<div class="reported"><dt>報告済</dt><dd>${count(target.reported)}件（確認待ち）</dd></div>\n`;
  const plan = target.plannedToDate === null ? '' : `<div><dt>計画累計</dt><dd>${count(target.plannedToDate)}件（実績との差 ${variance >= 0 ? '+' : ''}${count(variance)}）</dd></div>`;
  return `<article class="card verdict-${e(target.verdict)}">
<h3>${e(target.label)}</h3>
<div class="card-body">
<div class="figures">
<p class="headline"><span class="pct">${percentText(target.percent)}</span><span class="badge">${e(target.verdictLabel)}</span></p>
<dl>
<div><dt>完了</dt><dd>${count(target.done)} / ${count(target.denominator)}件</dd></div>
${reported}<div><dt>期限</dt><dd>${e(target.deadlineLabel)}</dd></div>
<div><dt>ペース</dt><dd>${pace(target.pacePerMonth)}（必要 ${pace(target.neededPerMonth)}）</dd></div>
<div><dt>見込み</dt><dd>${e(projection)}</dd></div>
${plan}
</dl>
</div>
${burnupSvg({ asOf, deadline: target.deadline, points: target.series })}
</div>
</article>`;
}

function shortNameOf(initiative: InitiativeProgress): string {
  return initiative.shortName ?? initiative.name;
}

/** The report column: the latest comment with its month, or where the percent comes from. */
function reportText(initiative: InitiativeProgress): string {
  const month = initiative.reportMonth ? `${formatWarekiMonth(initiative.reportMonth).replace(/^令和(?:元|\d+)年/u, '')}: ` : '';
  if (initiative.latestComment) return `${month}${initiative.latestComment}`;
  switch (initiative.source) {
    case 'targets':
      return '手続の目標の完了率（1・3を参照）';
    case 'none':
      return '未報告';
    case 'report':
      return `${month}（コメントなし）`;
    default:
      return '';
  }
}

function initiativeRow(initiative: InitiativeProgress): string {
  const due = initiative.dueOn ? `${initiative.overdue ? '▲' : ''}${formatDueDate(initiative.dueOn)}` : '記載なし';
  const progressCell =
    initiative.progress === null
      ? '<span class="muted">対象外</span>'
      : `${progressBarSvg(initiative.progress, initiative.planned)}<span class="num">${Math.round(initiative.progress)}%</span>`;
  return `<tr${initiative.overdue ? ' class="overdue"' : ''}>
<td class="no">${e(initiative.policyNo ?? initiative.code)}</td>
<td class="name">${e(shortNameOf(initiative))}</td>
<td class="owner">${e(initiative.division)}</td>
<td class="due">${e(due)}</td>
<td class="state state-${e(initiative.status)}">${e(initiative.statusLabel)}</td>
<td class="progress">${progressCell}</td>
<td class="comment${initiative.source === 'none' ? ' muted' : ''}"><div class="clamp">${e(reportText(initiative))}</div></td>
</tr>`;
}

function countCell(cell: HandoutCount | null | undefined): string {
  if (!cell || cell.denominator === 0 && cell.percent === null) return '<td class="num muted">—</td>';
  const reported = cell.reported > 0 ? ` <span class="small reported">報告済${count(cell.reported)}</span>` : '';
  return `<td class="num"><strong>${percentText(cell.percent)}</strong> <span class="small">${count(cell.done)}/${count(cell.denominator)}</span>${reported}</td>`;
}

function tableRow(row: HandoutTableRow, programs: HandoutData['programs'], className = ''): string {
  return `<tr${className ? ` class="${className}"` : ''}><th scope="row">${e(row.name)}</th>${programs.map((program) => countCell(row.cells[program.key])).join('')}${countCell(row.cells.all)}</tr>`;
}

const lateCount = (initiatives: InitiativeProgress[]) => initiatives.filter((entry) => entry.overdue).length;

export interface HandoutOptions {
  /** 'inline' for the PDF (a <style> block); 'link' for the served page (CSP: styles from the server only). */
  css: 'inline' | 'link';
}

export function renderHandout(data: HandoutData, options: HandoutOptions): string {
  const asOfLabel = formatWarekiDate(data.asOf);
  const title = `市役所改革 進捗報告${data.department ? `（${data.department}）` : ''}`;
  const style = options.css === 'inline' ? `<style>${HANDOUT_CSS}</style>` : '<link rel="stylesheet" href="/report/report.css">';
  const areas = data.reform.areas
    .map((area, index) => {
      const rows = area.initiatives.length ? area.initiatives.map(initiativeRow).join('') : `<tr><td colspan="7" class="muted">${data.department ? 'この部局が所管する取組はありません' : '取組が登録されていません'}</td></tr>`;
      return `<tbody class="area">
<tr class="area-head"><th colspan="5">（${index + 1}）${e(area.label)}</th><td class="progress">${area.progress === null ? '<span class="muted">—</span>' : `${progressBarSvg(area.progress)}<span class="num">${area.progress.toFixed(1)}%</span>`}</td><td>${lateCount(area.initiatives) ? `<span class="late-text">▲期限超過 ${lateCount(area.initiatives)}件</span>` : ''}</td></tr>
${rows}
</tbody>`;
    })
    .join('');
  const overdueCount = data.reform.areas.reduce((sum, area) => sum + area.initiatives.filter((entry) => entry.overdue).length, 0);
  const initiativeCount = data.reform.areas.reduce((sum, area) => sum + area.initiatives.length, 0);
  return `<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<title>${e(title)}（${e(asOfLabel)}現在）</title>
${style}
</head>
<body>
<header class="title">
<h1>${e(title)}</h1>
<p class="asof">${e(asOfLabel)}現在</p>
</header>

<section class="targets">
<h2>1 手続のデジタル化（目標別）</h2>
<div class="cards">
${data.targets.map((target) => targetCard(target, data.asOf)).join('\n')}
</div>
<p class="city-total"><strong>全庁計</strong>（${data.cityTotal.programs}取組の手続・様式・規定）完了 ${count(data.cityTotal.done)} / 対象 ${count(data.cityTotal.denominator)}件 <strong class="big">${percentText(data.cityTotal.percent)}</strong>${data.cityTotal.confirming ? `<span class="reported">報告済（確認待ち）${count(data.cityTotal.reported)}件</span>` : ''}<span class="small">対象 = 全件 − 対象外。${data.cityTotal.confirming ? '報告済 = 課が完了と報告し確認を待つもの（完了・進捗率に含まず）。' : ''}ペース = 直近6か月の月平均完了数、必要 = 期限までに残りを終えるための月平均。</span></p>
</section>

<section class="policy">
<h2>2 市役所改革取組方針（5分野・${initiativeCount}取組）<span class="overall">方針全体 ${percentText(data.reform.overall.progress)}</span>${overdueCount ? `<span class="late-text">▲期限超過 ${overdueCount}件</span>` : ''}</h2>
<table class="initiatives">
<colgroup><col class="c-no"><col class="c-name"><col class="c-owner"><col class="c-due"><col class="c-state"><col class="c-progress"><col class="c-comment"></colgroup>
<thead><tr><th>番号</th><th>取組</th><th>所管課</th><th>期限</th><th>状況</th><th>進捗</th><th>最新の報告</th></tr></thead>
${areas}
</table>
<p class="small legend">▲赤字: 期限を過ぎて未完了。進捗: 完了は100%、手続の目標に連なる取組（(4)①〜③）はその目標の完了率、ほかは所管課の月次報告（基準日までの最新）。棒の縦線は月別業務計画の予定。分野は取組の平均（中止を除く）、方針全体は5分野の平均。</p>
</section>

<section class="departments">
<h2>3 ${e(data.table.heading)}（手続・様式・規定の完了率）</h2>
<table class="dept">
<thead><tr><th>${data.department ? '課' : '部局'}</th>${data.programs.map((program) => `<th>${e(program.label)}</th>`).join('')}<th>計</th></tr></thead>
<tbody>
${data.table.rows.map((row) => tableRow(row, data.programs)).join('\n')}
</tbody>
<tfoot>${tableRow(data.table.total, data.programs, 'total')}</tfoot>
</table>
</section>
<footer>基準日 ${e(asOfLabel)}（${e(data.asOf)}）／ 出典: 市役所改革取組方針 Ver2.0、各課の月次報告、手続・様式・規定の台帳（procedure-dx-tracker）</footer>
</body>
</html>
`;
}
