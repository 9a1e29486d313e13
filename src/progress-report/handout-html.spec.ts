import { reformProgress } from '../reform/reform-progress';
import { burnupSvg, progressBarSvg } from './burnup-svg';
import { HandoutData } from './handout-data';
import { renderHandout } from './handout-html';

const rules = {
  areas: [
    { key: 'a1', label: '組織見直しの取組' },
    { key: 'a2', label: '業務の効率性・生産性の向上の取組' },
  ],
  doneStates: ['done'],
  excludedStates: ['cancelled'],
};

function data(): HandoutData {
  const reform = reformProgress('2026-11-24', rules, [
    {
      id: 1, code: 'RF1-01', policyNo: '(1)①', name: '再編する', shortName: '保健福祉部の再編', area: 'a1', status: 'in_progress', statusLabel: '実施中',
      division: '企画政策課', dueOn: '2026-04-30', dueLabel: '令和8年4月', linkedTargets: [], latestReport: { month: '2026-10', progress: 40, comment: '<script>x</script>調整中' }, planned: 60,
    },
  ], new Map());
  return {
    asOf: '2026-11-24',
    department: null,
    targets: [
      {
        id: 'seal-abolition', label: '押印の廃止', percent: 57.6, verdict: 'on_track', verdictLabel: '順調', done: 297, reported: 12, denominator: 516, excluded: 4,
        deadline: '2028-03-31', deadlineLabel: '令和9年度末', pacePerMonth: 20.8, neededPerMonth: 13.5, projectedCompletion: '2027-10-10', plannedToDate: null,
        series: [{ month: '2026-10', done: 280, goal: 516 }, { month: '2026-11', done: 297, goal: 516 }],
      },
    ],
    cityTotal: { done: 297, reported: 12, denominator: 516, percent: 57.6, programs: 1, confirming: true },
    reform,
    programs: [{ key: 'seal', label: '押印廃止' }],
    table: {
      heading: '部局別の進捗',
      rows: [{ name: '行政管理部', cells: { seal: { done: 60, reported: 3, denominator: 96, percent: 62.5 }, all: { done: 60, reported: 3, denominator: 96, percent: 62.5 } } }],
      total: { name: '全庁計', cells: { seal: { done: 297, reported: 12, denominator: 516, percent: 57.6 }, all: { done: 297, reported: 12, denominator: 516, percent: 57.6 } } },
    },
  };
}

describe('renderHandout', () => {
  const html = renderHandout(data(), { css: 'inline' });

  it('titles the page with the 和暦 date and shows each part', () => {
    expect(html).toContain('<title>市役所改革 進捗報告（令和8年11月24日現在）</title>');
    expect(html).toContain('押印の廃止');
    expect(html).toContain('全庁計');
    expect(html).toContain('（1）組織見直しの取組');
    expect(html).toContain('（2）業務の効率性・生産性の向上の取組');
    expect(html).toContain('取組が登録されていません');
  });

  it('shows 報告済 (awaiting confirmation) beside 完了 where the program confirms completions, and not where it does not', () => {
    expect(html).toContain('<div><dt>完了</dt><dd>297 / 516件</dd></div>\n<div class="reported"><dt>報告済</dt><dd>12件（確認待ち）</dd></div>');
    expect(html).toContain('<span class="reported">報告済（確認待ち）12件</span>');
    expect(html).toContain('<span class="small">60/96</span> <span class="small reported">報告済3</span>');
    const plain = data();
    plain.targets[0].reported = null;
    plain.cityTotal = { ...plain.cityTotal, reported: 0, confirming: false };
    for (const row of [...plain.table.rows, plain.table.total]) for (const cell of Object.values(row.cells)) if (cell) cell.reported = 0;
    const without = renderHandout(plain, { css: 'inline' });
    expect(without).toContain('<div><dt>完了</dt><dd>297 / 516件</dd></div>');
    expect(without).not.toContain('報告済');
  });

  it('marks an overdue initiative, writes its due date in 和暦 and escapes the comment', () => {
    expect(html).toContain('<tr class="overdue">');
    expect(html).toContain('▲令和8年4月末');
    expect(html).toContain('10月: &lt;script&gt;x&lt;/script&gt;調整中');
    expect(html).not.toContain('<script>');
  });

  it('inlines the style for the PDF and links it for the served page (the CSP allows no inline style)', () => {
    expect(html).toContain('<style>');
    const served = renderHandout(data(), { css: 'link' });
    expect(served).toContain('<link rel="stylesheet" href="/report/report.css">');
    expect(served).not.toContain('<style>');
    expect(served).not.toMatch(/ style="/);
  });
});

describe('burn-up and bar SVG', () => {
  it('draws the done line, the deadline beyond the as-of month and the needed pace', () => {
    const svg = burnupSvg({ asOf: '2026-11-24', deadline: '2027-03-31', points: [{ month: '2026-10', done: 10, goal: 40 }, { month: '2026-11', done: 20, goal: 40 }] });
    expect(svg).toContain('期限');
    expect(svg).toContain('stroke-dasharray="4 3"');
    expect(svg).toContain('R8.10');
    expect(burnupSvg({ asOf: '2026-11-24', deadline: '2027-03-31', points: [] })).toBe('');
  });

  it('fills the bar to the percent and ticks the plan', () => {
    expect(progressBarSvg(40, 60)).toContain('<rect width="40"');
    expect(progressBarSvg(40, 60)).toContain('x1="60"');
    expect(progressBarSvg(null)).toContain('<rect width="0"');
  });
});
