import { clear, el } from './dom.js';
import { count, longMonth, monthRange, number, percent, perMonth, shortMonth, VERDICTS, wareki } from './format.js';

// One card per target: verdict, percent, a done / remaining / excluded bar, pace against the pace
// needed, and a burn-up chart (done items per month against the straight line to the deadline).

/** The x axis runs to the deadline when it is later than the data, but never past this many months. */
const MAX_CHART_MONTHS = 72;

const charts = new Map();

export function destroyCharts() {
  for (const chart of charts.values()) chart.destroy();
  charts.clear();
}

function scopeText(target, programByKey) {
  const parts = [programByKey.get(target.program)?.label ?? target.program];
  const scope = target.scope ?? {};
  if (scope.nationalGroup) {
    const field = programByKey.get(target.program)?.fields.find((candidate) => candidate.key === 'nationalGroup');
    parts.push(field?.choices?.find((choice) => choice.key === scope.nationalGroup)?.label ?? scope.nationalGroup);
  }
  if (scope.department) parts.push(`部局 ${scope.department}`);
  if (scope.codes) parts.push(`指定の${scope.codes.length}件`);
  return parts.join('・');
}

function progressBar(target) {
  const bar = el('div', {
    class: 'bar',
    role: 'img',
    'aria-label': `全${target.total}件のうち、完了${target.done}件、残り${target.remaining}件、対象外${target.excluded}件`,
  });
  if (target.total > 0) {
    for (const [className, value] of [
      ['bar-done', target.done],
      ['bar-excluded', target.excluded],
      ['bar-remaining', target.remaining],
    ]) {
      if (value <= 0) continue;
      const segment = el('span', { class: className });
      segment.style.width = `${(100 * value) / target.total}%`;
      bar.append(segment);
    }
  }
  return bar;
}

function paceFacts(target) {
  const facts = [];
  const fact = (term, description, className) => facts.push(el('div', {}, el('dt', { text: term }), el('dd', { class: className, text: description })));
  fact('ペース（直近6か月）', perMonth(target.pacePerMonth));
  if (target.neededPerMonth !== null) {
    const short = target.pacePerMonth < target.neededPerMonth;
    fact('必要なペース', `${perMonth(target.neededPerMonth)}（${short ? '不足' : '足りている'}）`, short ? 'pace-short' : 'pace-ok');
  } else {
    fact('必要なペース', target.remaining > 0 ? '期限を過ぎています' : '—');
  }
  fact('完了見込み', target.remaining === 0 ? (target.total ? '完了' : '—') : target.projectedCompletion ? wareki(target.projectedCompletion) : '見込みなし（ペース0）');
  fact('期限超過', count(target.overdue), target.overdue > 0 ? 'pace-short' : undefined);
  return el('dl', { class: 'facts' }, facts);
}

export function renderTargets(container, targets, { programByKey }) {
  destroyCharts();
  clear(container);
  if (!targets.length) {
    container.append(el('p', { text: '目標が登録されていません。' }));
    return;
  }
  for (const target of targets) {
    const titleId = `target-${target.id}-title`;
    const verdict = VERDICTS[target.verdict] ?? target.verdict;
    const denominator = target.total - target.excluded;
    container.append(
      el(
        'article',
        { class: `target-card verdict-${target.verdict}`, 'aria-labelledby': titleId, dataset: { target: target.id, verdict: target.verdict } },
        el('header', {}, el('h3', { id: titleId, text: target.label }), el('span', { class: 'verdict-badge', text: verdict })),
        el('p', { class: 'target-meta' }, `${scopeText(target, programByKey)} ／ 期限 `, el('strong', { text: target.deadlineLabel }), `（${wareki(target.deadline)}）`),
        el(
          'div',
          { class: 'percent-row' },
          el('span', { class: 'percent', dataset: { role: 'percent' }, text: percent(target.percent) }),
          el('span', { class: 'percent-detail', text: target.total ? `完了 ${number(target.done)} ／ 対象 ${number(denominator)}件` : '項目が未登録です' }),
        ),
        progressBar(target),
        el(
          'ul',
          { class: 'legend', 'aria-hidden': 'true' },
          el('li', { class: 'legend-done', text: `完了 ${number(target.done)}` }),
          el('li', { class: 'legend-remaining', text: `残り ${number(target.remaining)}` }),
          el('li', { class: 'legend-excluded', text: `対象外 ${number(target.excluded)}` }),
        ),
        paceFacts(target),
        el('figure', { class: 'chart', dataset: { chartFor: target.id } }, el('p', { class: 'chart-empty', text: '推移を読み込んでいます…' })),
      ),
    );
  }
}

const monthNumber = (month) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;

/** Labels and datasets of a burn-up chart, from GET /api/v1/progress/series. */
export function burnUpData(series) {
  const points = series.points;
  const first = points[0];
  const last = points[points.length - 1];
  const goal = last.total - last.excluded;
  const deadlineMonth = series.target.deadline.slice(0, 7);
  const months = monthRange(first.month, deadlineMonth > last.month ? deadlineMonth : last.month).slice(0, MAX_CHART_MONTHS);
  const byMonth = new Map(points.map((point) => [point.month, point]));
  const deadlineIndex = monthNumber(deadlineMonth) - monthNumber(first.month);
  const ideal = months.map((_month, index) => {
    // a deadline at or before the first month: everything is due from the start
    if (deadlineIndex <= 0) return goal;
    if (index > deadlineIndex) return null;
    return first.done + ((goal - first.done) * index) / deadlineIndex;
  });
  return {
    months,
    goal,
    done: months.map((month) => byMonth.get(month)?.done ?? null),
    scope: months.map((month) => {
      const point = byMonth.get(month);
      return point ? point.total - point.excluded : null;
    }),
    ideal,
  };
}

export function renderChart(series) {
  const figure = document.querySelector(`figure[data-chart-for="${CSS.escape(series.target.id)}"]`);
  if (!figure) return;
  clear(figure);
  const last = series.points[series.points.length - 1];
  if (!last || last.total === 0) {
    figure.append(el('p', { class: 'chart-empty', text: '項目が未登録のため推移はありません。' }));
    return;
  }
  const data = burnUpData(series);
  const first = series.points[0];
  const summary =
    `完了件数の推移: ${longMonth(first.month)} ${first.done}件 → ${longMonth(last.month)} ${last.done}件。` +
    `期限 ${series.target.deadlineLabel}までに ${data.goal}件が目標。`;
  const canvas = el('canvas', { role: 'img', 'aria-label': summary });
  figure.append(
    el('div', { class: 'chart-box' }, canvas),
    el('figcaption', { text: '実線: 完了件数（各月末）／ 破線: 期限までの直線 ／ 段線: 対象件数（全件 − 対象外）' }),
    el(
      'details',
      {},
      el('summary', { text: '推移を表で見る' }),
      el(
        'div',
        { class: 'table-wrap', role: 'region', tabindex: 0, 'aria-label': `${series.target.label}の推移` },
        el(
          'table',
          { class: 'data-table' },
          el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: '月' }), el('th', { scope: 'col', class: 'number', text: '完了' }), el('th', { scope: 'col', class: 'number', text: '対象' }))),
          el(
            'tbody',
            {},
            series.points.map((point) =>
              el('tr', {}, el('th', { scope: 'row', text: point.monthLabel }), el('td', { class: 'number', text: number(point.done) }), el('td', { class: 'number', text: number(point.total - point.excluded) })),
            ),
          ),
        ),
      ),
    ),
  );
  if (typeof window.Chart !== 'function') {
    figure.prepend(el('p', { class: 'chart-empty', text: 'グラフ部品を読み込めませんでした。表で推移を確認できます。' }));
    return;
  }
  const styles = getComputedStyle(document.documentElement);
  const colour = (name) => styles.getPropertyValue(name).trim();
  charts.set(
    series.target.id,
    new window.Chart(canvas, {
      type: 'line',
      data: {
        labels: data.months.map(shortMonth),
        datasets: [
          {
            label: '完了',
            data: data.done,
            borderColor: colour('--done'),
            backgroundColor: 'rgba(30, 123, 52, 0.12)',
            fill: 'origin',
            pointRadius: 2,
            borderWidth: 2,
          },
          {
            label: `期限までの直線（${series.target.deadlineLabel}に${data.goal}件）`,
            data: data.ideal,
            borderColor: '#57606a',
            borderDash: [6, 4],
            pointRadius: 0,
            borderWidth: 1.5,
            fill: false,
          },
          {
            label: '対象件数',
            data: data.scope,
            borderColor: '#8c959f',
            stepped: true,
            pointRadius: 0,
            borderWidth: 1,
            fill: false,
          },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 8 } },
          y: { beginAtZero: true, suggestedMax: data.goal || 1, ticks: { precision: 0 } },
        },
        plugins: {
          legend: { position: 'bottom', labels: { boxWidth: 12, boxHeight: 2 } },
          tooltip: {
            callbacks: {
              title: (items) => (items.length ? longMonth(data.months[items[0].dataIndex]) : ''),
              // the straight line passes between whole numbers: one decimal is enough to read it
              label: (item) => `${item.dataset.label}: ${Number.isInteger(item.parsed.y) ? item.parsed.y : item.parsed.y.toFixed(1)}件`,
            },
          },
        },
      },
    }),
  );
}

export function renderChartError(targetId, message) {
  const figure = document.querySelector(`figure[data-chart-for="${CSS.escape(targetId)}"]`);
  if (figure) clear(figure).append(el('p', { class: 'chart-empty', text: `推移を読み込めませんでした: ${message}` }));
}
