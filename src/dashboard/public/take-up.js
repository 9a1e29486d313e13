import { ApiError, getJson } from './api.js';
import { $, clear, el } from './dom.js';
import { addMonth, count, monthIndex, number, percent } from './format.js';

// オンライン利用率 (GET /api/v1/take-up?status=online): of the cases each procedure already online
// received in a period, the share that came in online. One horizontal bar per procedure, worst
// first as the API sorts them; procedures without any recorded case are listed after the chart;
// the national groups and the total as a summary row; the same numbers as a table.

/** Default period: the twelve months up to the as-of month (the API's own default length). */
export const TAKE_UP_MONTHS = 12;
/** Height of one procedure's bar row in pixels: the chart grows with the list. */
const BAR_ROW_PX = 24;
const CHART_PADDING_PX = 56;
/**
 * Below this chart width (a phone) a name beside its bar would leave no room for either: each
 * name goes above its bar instead, across the chart's width, and the rows are taller.
 */
const NARROW_CHART_PX = 520;
const NARROW_BAR_ROW_PX = 40;

const MONTH = /^\d{4}-\d{2}$/;

export function defaultTakeUpPeriod(asOf) {
  const to = asOf.slice(0, 7);
  return { from: addMonth(to, -(TAKE_UP_MONTHS - 1)), to };
}

/** A long procedure name cut for the axis; the tooltip and the table carry it whole. */
export function shortName(name, max) {
  return name.length > max ? `${name.slice(0, max - 1)}…` : name;
}

const casesText = (row) => `オンライン ${count(row.online)} ／ 窓口・紙 ${count(row.offline)}`;

/** Writes each bar's percentage at its end (inside the bar when it would run off the chart). */
const valueLabels = {
  id: 'takeUpValueLabels',
  afterDatasetsDraw(chart) {
    const { ctx, chartArea } = chart;
    const meta = chart.getDatasetMeta(0);
    ctx.save();
    ctx.font = '600 12px sans-serif';
    ctx.textBaseline = 'middle';
    meta.data.forEach((bar, index) => {
      const text = percent(chart.data.datasets[0].data[index]);
      const width = ctx.measureText(text).width;
      const inside = bar.x + 6 + width > chartArea.right;
      ctx.fillStyle = inside ? '#ffffff' : '#1f2328';
      ctx.textAlign = inside ? 'right' : 'left';
      ctx.fillText(text, inside ? bar.x - 6 : bar.x + 6, bar.y);
    });
    ctx.restore();
  },
};

/** Narrow charts: each procedure's name above its bar, cut to the chart's width. */
const namesAbove = {
  id: 'takeUpNamesAbove',
  afterDatasetsDraw(chart) {
    const { ctx, chartArea } = chart;
    const meta = chart.getDatasetMeta(0);
    ctx.save();
    ctx.font = '12px sans-serif';
    ctx.fillStyle = '#1f2328';
    ctx.textAlign = 'left';
    ctx.textBaseline = 'bottom';
    const room = chartArea.right - chartArea.left;
    meta.data.forEach((bar, index) => {
      let text = chart.data.labels[index];
      if (ctx.measureText(text).width > room) {
        while (text.length > 1 && ctx.measureText(`${text}…`).width > room) text = text.slice(0, -1);
        text = `${text}…`;
      }
      ctx.fillText(text, chartArea.left, bar.y - bar.height / 2 - 2);
    });
    ctx.restore();
  },
};

export class TakeUpPanel {
  constructor(context) {
    this.context = context;
    this.chart = null;
    /** Bumped on every load and reset: answers for an older question are dropped. */
    this.generation = 0;
    /** The last answer and its bars, to redraw when the chart crosses the narrow width. */
    this.drawn = null;
    this.from = $('#take-up-from');
    this.to = $('#take-up-to');
    $('#take-up-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const from = this.from.value.trim();
      const to = this.to.value.trim();
      if (!from || !to) {
        this.showError('開始月と終了月を入れてください。');
        (from ? this.to : this.from).focus();
        return;
      }
      void this.load({ from, to });
    });
    $('#take-up-reset').addEventListener('click', () => void this.loadForAsOf(this.context.asOf));
  }

  /** Logged out: nothing of the last session stays on the page. */
  reset() {
    this.generation++;
    this.destroyChart();
    clear($('#take-up-summary'));
    clear($('#take-up-chart'));
    clear($('#take-up-table').tBodies[0]);
    clear($('#take-up-table').tFoot);
    $('#take-up-no-cases').hidden = true;
    $('#take-up-period').textContent = '';
    this.showError('');
  }

  /** The default period for an as-of date; never rejects (errors show in the section). */
  loadForAsOf(asOf) {
    const period = defaultTakeUpPeriod(asOf);
    this.from.value = period.from;
    this.to.value = period.to;
    if (this.context.today) {
      this.from.max = this.context.today.slice(0, 7);
      this.to.max = this.context.today.slice(0, 7);
    }
    return this.load(period);
  }

  async load({ from, to }) {
    const mine = ++this.generation;
    this.showError('');
    $('#take-up-section').setAttribute('aria-busy', 'true');
    try {
      const report = await getJson(`/api/v1/take-up?status=online&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
      if (mine !== this.generation) return;
      this.render(report);
    } catch (error) {
      // a 401 sends the whole page back to the login form (api.js)
      if (mine !== this.generation || (error instanceof ApiError && error.status === 401)) return;
      this.showError(`オンライン利用率を読み込めませんでした: ${error.message}`);
    } finally {
      if (mine === this.generation) $('#take-up-section').removeAttribute('aria-busy');
    }
  }

  showError(text) {
    $('#take-up-error').textContent = text;
  }

  destroyChart() {
    this.chart?.destroy();
    this.chart = null;
    this.drawn = null;
  }

  render(report) {
    const withCases = report.items.filter((item) => item.takeUp !== null);
    const withoutCases = report.items.filter((item) => item.takeUp === null);
    const months = MONTH.test(report.from) && MONTH.test(report.to) ? monthIndex(report.to) - monthIndex(report.from) + 1 : null;
    $('#take-up-period').textContent =
      `${report.fromLabel}〜${report.toLabel}${months ? `（${months}か月）` : ''}・現在オンライン化済の手続 ${number(report.items.length)}件` +
      (withoutCases.length ? `（うち件数の記録なし ${number(withoutCases.length)}件）` : '');
    this.renderSummary(report);
    this.renderChart(report, withCases);
    const noCases = $('#take-up-no-cases');
    noCases.hidden = withoutCases.length === 0 || withCases.length === 0;
    noCases.textContent = noCases.hidden ? '' : `件数の記録がない手続（${number(withoutCases.length)}件、グラフに含めていません）: ${withoutCases.map((item) => `${item.name}（${item.code}）`).join('、')}`;
    this.renderTable(report);
  }

  renderSummary(report) {
    const tile = (key, label, totals, detail) =>
      el(
        'li',
        { class: `take-up-tile${totals.takeUp === null ? ' no-cases' : ''}`, dataset: { group: key } },
        el('span', { class: 'tile-label', text: label }),
        el('span', { class: 'tile-percent', text: totals.takeUp === null ? '記録なし' : percent(totals.takeUp) }),
        el('span', { class: 'tile-detail', text: detail }),
      );
    clear($('#take-up-summary')).append(
      tile('total', '全体', report.total, `${number(report.items.length)}手続 ／ ${casesText(report.total)}`),
      ...report.groups.map((group) => tile(group.nationalGroup ?? 'none', group.label, group, `${number(group.procedures)}手続 ／ ${casesText(group)}`)),
    );
  }

  renderChart(report, withCases) {
    this.destroyChart();
    const figure = clear($('#take-up-chart'));
    if (!report.items.length) {
      figure.append(el('p', { class: 'chart-empty', text: '現在オンライン化済の手続はありません。' }));
      return;
    }
    if (!withCases.length) {
      figure.append(
        el('p', {
          class: 'chart-empty',
          text: 'この期間の件数が記録されていません。件数シート（管理番号・月・オンライン件数・窓口件数）を取り込むと表示されます。',
        }),
      );
      return;
    }
    const worst = withCases[0];
    const overall = report.total.takeUp;
    const canvas = el('canvas', {
      role: 'img',
      'aria-label':
        `オンライン利用率（${report.fromLabel}〜${report.toLabel}）: 全体 ${percent(overall)}、` +
        `最も低いのは${worst.name} ${percent(worst.takeUp)}。手続ごとの値は下の表にあります。`,
    });
    const box = el('div', { class: 'chart-box take-up-box' }, canvas);
    // measured before the canvas is in: the figure spans the section's width
    const narrow = figure.clientWidth < NARROW_CHART_PX;
    box.style.height = `${withCases.length * (narrow ? NARROW_BAR_ROW_PX : BAR_ROW_PX) + CHART_PADDING_PX}px`;
    figure.append(
      box,
      el('figcaption', {
        text: `棒: 期間中に受け付けた件数のうちオンラインで届いた割合（低い順）。橙の棒は全体の利用率（${percent(overall)}）を下回る手続です。`,
      }),
    );
    if (typeof window.Chart !== 'function') {
      figure.prepend(el('p', { class: 'chart-empty', text: 'グラフ部品を読み込めませんでした。表で利用率を確認できます。' }));
      return;
    }
    const styles = getComputedStyle(document.documentElement);
    const colour = (name) => styles.getPropertyValue(name).trim();
    const below = colour('--behind');
    const atOrAbove = colour('--accent');
    this.chart = new window.Chart(canvas, {
      type: 'bar',
      data: {
        labels: withCases.map((item) => item.name),
        datasets: [
          {
            label: 'オンライン利用率',
            data: withCases.map((item) => item.takeUp),
            backgroundColor: withCases.map((item) => (overall !== null && item.takeUp < overall ? below : atOrAbove)),
            borderWidth: 0,
            barPercentage: narrow ? 0.45 : 0.85,
            categoryPercentage: 0.9,
          },
        ],
      },
      options: {
        indexAxis: 'y',
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        // the value labels sit right of the bars: leave them room at 100 %
        layout: { padding: { right: 48 } },
        onResize: (_chart, size) => {
          // a window turned or resized past the threshold: lay the names out again
          if (size.width >= NARROW_CHART_PX === narrow) requestAnimationFrame(() => this.redraw());
        },
        scales: {
          x: { position: 'top', min: 0, max: 100, ticks: { callback: (value) => `${value}%`, stepSize: 20 } },
          y: {
            ticks: {
              display: !narrow,
              autoSkip: false,
              // long names are cut on the axis; the tooltip and the table carry them whole
              callback(value) {
                return shortName(this.getLabelForValue(value), 22);
              },
            },
          },
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: (items) => (items.length ? `${withCases[items[0].dataIndex].name}（${withCases[items[0].dataIndex].code}）` : ''),
              label: (item) => `利用率 ${percent(withCases[item.dataIndex].takeUp)}`,
              afterLabel: (item) => [`オンライン ${count(withCases[item.dataIndex].online)}`, `窓口・紙 ${count(withCases[item.dataIndex].offline)}`],
            },
          },
        },
      },
      plugins: narrow ? [valueLabels, namesAbove] : [valueLabels],
    });
    this.drawn = { report, withCases, narrow };
  }

  redraw() {
    if (!this.drawn || !this.chart) return;
    const { report, withCases, narrow } = this.drawn;
    if ($('#take-up-chart').clientWidth < NARROW_CHART_PX === narrow) return;
    this.renderChart(report, withCases);
  }

  renderTable(report) {
    const table = $('#take-up-table');
    const groupLabel = new Map(report.groups.map((group) => [group.nationalGroup, group.label]));
    const body = clear(table.tBodies[0]);
    if (!report.items.length) {
      body.append(el('tr', {}, el('td', { class: 'empty', colspan: 6, text: '現在オンライン化済の手続はありません。' })));
    }
    for (const item of report.items) {
      body.append(
        el(
          'tr',
          { class: item.takeUp === null ? 'no-cases' : undefined, dataset: { code: item.code } },
          el('td', { class: 'nowrap code', text: item.code }),
          el('th', { scope: 'row', class: 'name', text: item.name }),
          el('td', { class: 'nowrap', text: groupLabel.get(item.nationalGroup) ?? '—' }),
          el('td', { class: 'number', text: number(item.online) }),
          el('td', { class: 'number', text: number(item.offline) }),
          el('td', { class: 'number', dataset: { role: 'take-up' }, text: item.takeUp === null ? '記録なし' : percent(item.takeUp) }),
        ),
      );
    }
    const summaryRow = (key, label, totals) =>
      el(
        'tr',
        { dataset: { group: key } },
        el('th', { scope: 'row', colspan: 3, text: label }),
        el('td', { class: 'number', text: number(totals.online) }),
        el('td', { class: 'number', text: number(totals.offline) }),
        el('td', { class: 'number', text: totals.takeUp === null ? '記録なし' : percent(totals.takeUp) }),
      );
    clear(table.tFoot).append(
      ...report.groups.map((group) => summaryRow(group.nationalGroup ?? 'none', `${group.label}（${number(group.procedures)}手続）`, group)),
      summaryRow('total', `全体（${number(report.items.length)}手続）`, report.total),
    );
  }
}
