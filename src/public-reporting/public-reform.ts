import { formatDueDate } from '../calendar';
import { escapeHtml } from '../common/html';
import type { ReformProgress } from '../reform/reform-progress';

// The reform policy on the public page and in the open data: areas and initiatives with their
// progress, state and date, copied field by field. No comment, no report, no division's person:
// a monthly report's comment is internal.

export interface PublicInitiative {
  policyNo: string | null;
  name: string;
  status: string;
  statusLabel: string;
  dueOn: string | null;
  dueLabel: string | null;
  progress: number | null;
  overdue: boolean;
}

export interface PublicReformArea {
  key: string;
  label: string;
  progress: number | null;
  initiatives: PublicInitiative[];
}

export interface PublicReform {
  overall: number | null;
  areas: PublicReformArea[];
}

export function buildPublicReform(reform: ReformProgress): PublicReform {
  return {
    overall: reform.overall.progress,
    areas: reform.areas.map((area) => ({
      key: area.key,
      label: area.label,
      progress: area.progress,
      initiatives: area.initiatives.map((initiative) => ({
        policyNo: initiative.policyNo,
        name: initiative.name,
        status: initiative.status,
        statusLabel: initiative.statusLabel,
        dueOn: initiative.dueOn,
        dueLabel: initiative.dueOn ? formatDueDate(initiative.dueOn) : null,
        progress: initiative.progress,
        overdue: initiative.overdue,
      })),
    })),
  };
}

/** The open-data CSV rows (区分 取組方針の分野 / 取組方針の取組), in the CSV's own columns. */
export function publicReformCsvRows(reform: PublicReform): Record<string, string | number | null>[] {
  const rows: Record<string, string | number | null>[] = [{ 区分: '取組方針', 名称: '市役所改革取組方針（全体）', '進捗率（%）': reform.overall }];
  reform.areas.forEach((area, index) => {
    rows.push({ 区分: '取組方針の分野', 名称: `（${index + 1}）${area.label}`, '進捗率（%）': area.progress });
    for (const initiative of area.initiatives) {
      rows.push({
        区分: '取組方針の取組',
        目標ID: initiative.policyNo,
        名称: initiative.name,
        期限: initiative.dueOn,
        '期限（和暦）': initiative.dueLabel,
        '進捗率（%）': initiative.progress,
        判定: `${initiative.statusLabel}${initiative.overdue ? '（期限超過）' : ''}`,
      });
    }
  });
  return rows;
}

const pct = (value: number | null) =>
  value === null ? '<td class="num">—</td>' : `<td class="num"><span class="pct">${escapeHtml(value.toFixed(1))}%</span> <progress max="100" value="${escapeHtml(value)}">${escapeHtml(value.toFixed(1))}%</progress></td>`;

export function renderPublicReformSection(reform: PublicReform): string {
  const rows = reform.areas
    .map((area, index) => {
      const head = `<tr class="area"><th scope="rowgroup" colspan="4">（${index + 1}）${escapeHtml(area.label)}</th>${pct(area.progress)}</tr>`;
      const items = area.initiatives.map(
        (initiative) =>
          `<tr><td>${escapeHtml(initiative.policyNo ?? '')}</td><td>${escapeHtml(initiative.name)}</td><td>${initiative.dueOn ? `<time datetime="${escapeHtml(initiative.dueOn)}">${escapeHtml(initiative.dueLabel ?? '')}</time>` : '記載なし'}${initiative.overdue ? ' <strong class="verdict-missed">期限超過</strong>' : ''}</td><td>${escapeHtml(initiative.statusLabel)}</td>${pct(initiative.progress)}</tr>`,
      );
      return [head, ...items].join('\n');
    })
    .join('\n');
  return `<section>
<h2>市役所改革取組方針の進捗</h2>
<p class="note">方針の5分野・各取組の進み具合です（方針全体 ${reform.overall === null ? '—' : `${escapeHtml(reform.overall.toFixed(1))}%`}）。分野は取組の平均（中止を除く）、方針全体は5分野の平均です。</p>
<table>
<caption>取組方針の分野と取組</caption>
<thead><tr><th scope="col">番号</th><th scope="col">取組</th><th scope="col">期限</th><th scope="col">状況</th><th scope="col">進捗率</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</section>`;
}
