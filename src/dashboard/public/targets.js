import { clear, el } from './dom.js';
import { addMonth, count, longMonth, monthIndex, monthRange, number, percent, perMonth, shortMonth, signedCount, VERDICTS, wareki } from './format.js';

// One card per target: verdict, percent, a done / remaining / excluded bar, pace against the pace
// needed, the monthly plan (月別業務計画) against the actual, and a burn-up chart (done items per
// month against the straight line to the deadline and the plan's cumulative count).

/** The x axis runs to the deadline (or the plan's last month) when it is later than the data, but never past this many months. */
const MAX_CHART_MONTHS = 72;
/** The series API's default span and limit (src/progress/progress-series.ts). */
const SERIES_DEFAULT_MONTHS = 24;
const SERIES_MAX_MONTHS = 60;

const charts = new Map();

export function destroyCharts() {
  for (const chart of charts.values()) chart.destroy();
  charts.clear();
}

function scopeText(target, programByKey, organization) {
  const parts = [programByKey.get(target.program)?.label ?? target.program];
  const scope = target.scope ?? {};
  if (scope.nationalGroup) {
    const field = programByKey.get(target.program)?.fields.find((candidate) => candidate.key === 'nationalGroup');
    parts.push(field?.choices?.find((choice) => choice.key === scope.nationalGroup)?.label ?? scope.nationalGroup);
  }
  // a choice column of the program: 保存年限「5年」, 根拠区分「条例」
  for (const [key, value] of Object.entries(scope.fields ?? {})) {
    const field = programByKey.get(target.program)?.fields.find((candidate) => candidate.key === key);
    parts.push(`${field?.header ?? key}「${field?.choices?.find((choice) => choice.key === value)?.label ?? value}」`);
  }
  if (scope.department) parts.push(organization?.departments.find((department) => department.code === scope.department)?.name ?? `部局 ${scope.department}`);
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

/** The verdicts that say the pace to the deadline is short (or the deadline has passed). */
const SHORT_VERDICTS = new Set(['behind', 'at_risk', 'missed']);

function paceFacts(target, asOf) {
  const facts = [];
  const fact = (term, description, className) => facts.push(el('div', {}, el('dt', { text: term }), el('dd', { class: className, text: description })));
  fact('ペース（直近6か月）', perMonth(target.pacePerMonth));
  if (target.neededPerMonth !== null) {
    const short = target.pacePerMonth < target.neededPerMonth;
    fact('必要なペース', `${perMonth(target.neededPerMonth)}（${short ? '不足' : '足りている'}）`, short ? 'pace-short' : 'pace-ok');
  } else {
    // one rule with the verdict: on the deadline day items left are 遅れ, after it 期限超過
    fact('必要なペース', target.remaining > 0 ? (asOf === target.deadline ? `期限は今日です（残り${number(target.remaining)}件）` : '期限を過ぎています') : '—', target.remaining > 0 ? 'pace-short' : undefined);
  }
  fact('完了見込み', target.remaining === 0 ? (target.total ? '完了' : '—') : target.projectedCompletion ? wareki(target.projectedCompletion) : target.projectionReason === 'beyond_horizon' ? '見込みなし（2099年より後）' : '見込みなし（ペース0）');
  fact('期限超過', count(target.overdue), target.overdue > 0 ? 'pace-short' : undefined);
  // completions the divisions reported, not yet confirmed by the office: not in the percent
  if (target.reported > 0) fact('報告済（確認待ち）', count(target.reported), 'reported-count');
  if (hasPlan(target)) {
    const behind = target.planVariance < 0;
    // a plan met while the verdict says the pace is short (or the other way round) is no
    // contradiction: the two measure different things, and the card says which
    const disagrees = behind ? target.verdict === 'on_track' : SHORT_VERDICTS.has(target.verdict);
    facts.push(
      el(
        'div',
        { class: 'fact-wide', dataset: { role: 'plan' } },
        el('dt', { text: '月別計画（基準月まで）' }),
        el(
          'dd',
          {},
          count(target.plannedToDate),
          el('span', { class: disagrees ? 'pace-neutral' : behind ? 'pace-short' : 'pace-ok', dataset: { role: 'plan-variance' }, text: `（計画比 ${signedCount(target.planVariance)}）` }),
        ),
      ),
    );
    if (disagrees) {
      facts.push(
        el(
          'div',
          { class: 'fact-wide plan-note', dataset: { role: 'plan-note' } },
          el('dt', { text: '計画比と判定' }),
          el('dd', {
            text: behind
            ? `計画比は完了の累計と計画の累計（計画の初月から数えた件数）の差です。計画には遅れていますが、直近6か月のペースなら期限に間に合う見込みのため判定は「${VERDICTS[target.verdict]}」です。`
            : `計画比は完了の累計と計画の累計（計画の初月から数えた件数）の差です。計画どおり進んでいても、期限までに残り${number(target.remaining)}件を終えるペースに足りないため判定は「${VERDICTS[target.verdict]}」です。`,
          }),
        ),
      );
    }
  }
  return el('dl', { class: 'facts' }, facts);
}

const hasPlan = (target) => Array.isArray(target?.plan) && target.plan.length > 0;

/** A plan that still schedules completions after the deadline: the card says until when. */
function planPastDeadline(target) {
  if (!hasPlan(target)) return null;
  const late = target.plan.filter((point) => point.afterDeadline && point.planned > 0);
  if (!late.length) return null;
  const total = late.reduce((sum, point) => sum + point.planned, 0);
  return el('p', {
    class: 'plan-warning',
    dataset: { role: 'plan-after-deadline' },
    text: `月別計画は期限（${target.deadlineLabel}）の後、${late[late.length - 1].monthLabel}まで続きます（期限後に${number(total)}件）。`,
  });
}

/**
 * The `from` of the burn-up series: by default the API's two years, but from the plan's first month
 * when the plan starts earlier (and the span stays within the API's limit), so the whole plan shows.
 */
export function seriesFrom(target, asOf) {
  if (!hasPlan(target)) return null;
  const asOfMonth = asOf.slice(0, 7);
  const planFirst = target.plan[0].month;
  const defaultFirst = addMonth(asOfMonth, -(SERIES_DEFAULT_MONTHS - 1));
  if (planFirst >= defaultFirst || monthIndex(asOfMonth) - monthIndex(planFirst) + 1 > SERIES_MAX_MONTHS) return null;
  return `${planFirst}-01`;
}

export function renderTargets(container, targets, { programByKey, asOf, organization }) {
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
        el('p', { class: 'target-meta' }, `${scopeText(target, programByKey, organization)} ／ 期限 `, el('strong', { text: target.deadlineLabel }), target.deadlineLabel === wareki(target.deadline) ? '' : `（${wareki(target.deadline)}）`),
        el(
          'div',
          { class: 'percent-row' },
          el('span', { class: 'percent', dataset: { role: 'percent' }, text: percent(target.percent) }),
          el('span', { class: 'percent-detail', text: target.total ? `完了 ${number(target.done)} ／ 対象（分母）${number(denominator)}件` : '項目が未登録です' }),
        ),
        progressBar(target),
        el(
          'ul',
          { class: 'legend', 'aria-hidden': 'true' },
          el('li', { class: 'legend-done', text: `完了 ${number(target.done)}` }),
          el('li', { class: 'legend-remaining', text: `残り ${number(target.remaining)}` }),
          el('li', { class: 'legend-excluded', text: `対象外 ${number(target.excluded)}` }),
        ),
        paceFacts(target, asOf),
        planPastDeadline(target),
        el('figure', { class: 'chart', dataset: { chartFor: target.id } }, el('p', { class: 'chart-empty', text: '推移を読み込んでいます…' })),
      ),
    );
  }
}

/**
 * Labels and datasets of a burn-up chart, from GET /api/v1/progress/series and the target's
 * progress (its `plan`, from GET /api/v1/progress). Plan months outside the chart's months are left out.
 */
export function burnUpData(series, target) {
  const points = series.points;
  const first = points[0];
  const last = points[points.length - 1];
  const goal = last.total - last.excluded;
  const deadlineMonth = series.target.deadline.slice(0, 7);
  const plan = hasPlan(target) ? target.plan : [];
  const lastMonth = [deadlineMonth, last.month, plan.length ? plan[plan.length - 1].month : ''].sort().pop();
  const months = monthRange(first.month, lastMonth).slice(0, MAX_CHART_MONTHS);
  const byMonth = new Map(points.map((point) => [point.month, point]));
  const planByMonth = new Map(plan.map((point) => [point.month, point]));
  const deadlineIndex = monthIndex(deadlineMonth) - monthIndex(first.month);
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
    hasPlan: plan.length > 0,
    plan: months.map((month) => planByMonth.get(month)?.plannedCumulative ?? null),
    planAfterDeadline: months.map((month) => planByMonth.get(month)?.afterDeadline ?? false),
    // the table's rows: every month with an actual point or a plan month, in order
    rows: months
      .filter((month) => byMonth.has(month) || planByMonth.has(month))
      .map((month) => ({ month, point: byMonth.get(month) ?? null, plan: planByMonth.get(month) ?? null })),
  };
}

function burnUpTable(data) {
  const head = [el('th', { scope: 'col', text: '月' }), el('th', { scope: 'col', class: 'number', text: '完了' }), el('th', { scope: 'col', class: 'number', text: '対象（分母）' })];
  if (data.hasPlan) head.push(el('th', { scope: 'col', class: 'number', text: '計画（累計）' }));
  return el(
    'table',
    { class: 'data-table' },
    el('thead', {}, el('tr', {}, head)),
    el(
      'tbody',
      {},
      data.rows.map(({ month, point, plan }) => {
        const cells = [
          el('th', { scope: 'row', text: point?.monthLabel ?? plan?.monthLabel ?? longMonth(month) }),
          el('td', { class: 'number', text: point ? number(point.done) : '—' }),
          el('td', { class: 'number', text: point ? number(point.total - point.excluded) : '—' }),
        ];
        if (data.hasPlan) {
          cells.push(
            el(
              'td',
              { class: plan?.afterDeadline ? 'number after-deadline' : 'number', dataset: { role: 'planned' } },
              plan ? number(plan.plannedCumulative) : '—',
              plan?.afterDeadline ? el('span', { class: 'after-deadline-mark', text: '（期限後）' }) : null,
            ),
          );
        }
        return el('tr', { dataset: { month } }, cells);
      }),
    ),
  );
}

/** The label of the plan's dataset (the browser tests find the dataset by it). */
export const PLAN_DATASET_LABEL = '月別計画（累計）';

export function renderChart(series, target) {
  const figure = document.querySelector(`figure[data-chart-for="${CSS.escape(series.target.id)}"]`);
  if (!figure) return;
  clear(figure);
  const last = series.points[series.points.length - 1];
  if (!last || last.total === 0) {
    figure.append(el('p', { class: 'chart-empty', text: '項目が未登録のため推移はありません。' }));
    return;
  }
  const data = burnUpData(series, target);
  const first = series.points[0];
  let summary =
    `完了件数の推移: ${longMonth(first.month)} ${first.done}件 → ${longMonth(last.month)} ${last.done}件。` +
    `期限 ${series.target.deadlineLabel}までに ${data.goal}件が目標。`;
  if (data.hasPlan) summary += `月別計画では基準月までに${target.plannedToDate}件（計画比 ${signedCount(target.planVariance)}）。`;
  const canvas = el('canvas', { role: 'img', 'aria-label': summary });
  const caption = ['実線: 完了件数（各月末）', '破線: 期限までの直線', '段線: 対象（分母）＝ 全件 − 対象外'];
  if (data.hasPlan) caption.push(`紫の線: ${PLAN_DATASET_LABEL}${data.planAfterDeadline.some(Boolean) ? '（赤い点線は期限後の計画）' : ''}`);
  figure.append(
    el('div', { class: 'chart-box' }, canvas),
    el('figcaption', { text: caption.join(' ／ ') }),
    el(
      'details',
      {},
      el('summary', { text: '推移を表で見る' }),
      el('div', { class: 'table-wrap', role: 'region', tabindex: 0, 'aria-label': `${series.target.label}の推移` }, burnUpTable(data)),
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
            label: '対象（分母）',
            data: data.scope,
            borderColor: '#8c959f',
            stepped: true,
            pointRadius: 0,
            borderWidth: 1,
            fill: false,
          },
          ...(data.hasPlan ? [planDataset(data, colour)] : []),
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
              label: (item) => {
                const late = item.dataset.label === PLAN_DATASET_LABEL && data.planAfterDeadline[item.dataIndex] ? '（期限後）' : '';
                return `${item.dataset.label}: ${Number.isInteger(item.parsed.y) ? item.parsed.y : item.parsed.y.toFixed(1)}件${late}`;
              },
            },
          },
        },
      },
    }),
  );
}

/** The plan's cumulative line; its months after the deadline are drawn dotted in red. */
function planDataset(data, colour) {
  const late = (index) => data.planAfterDeadline[index];
  const planColour = colour('--plan');
  const lateColour = colour('--danger');
  return {
    label: PLAN_DATASET_LABEL,
    data: data.plan,
    borderColor: planColour,
    backgroundColor: planColour,
    pointRadius: data.plan.map((_value, index) => (late(index) ? 3 : 1.5)),
    pointStyle: data.plan.map((_value, index) => (late(index) ? 'crossRot' : 'circle')),
    pointBorderColor: data.plan.map((_value, index) => (late(index) ? lateColour : planColour)),
    borderWidth: 2,
    fill: false,
    segment: {
      borderColor: (context) => (late(context.p1DataIndex) ? lateColour : planColour),
      borderDash: (context) => (late(context.p1DataIndex) ? [2, 3] : undefined),
    },
  };
}

export function renderChartError(targetId, message) {
  const figure = document.querySelector(`figure[data-chart-for="${CSS.escape(targetId)}"]`);
  if (figure) clear(figure).append(el('p', { class: 'chart-empty', text: `推移を読み込めませんでした: ${message}` }));
}
