import * as path from 'node:path';
import { Page } from 'playwright-core';
import { DemoService, DemoSummary } from '../../src/sample-data/demo.service';
import { databaseKinds, startTestApp, TestApp } from '../support/test-app';
import { BrowserSession, chartOf, logIn, PHONE, SCREENSHOTS, startBrowser, unexpected } from './browser-support';

// The monthly plan curve and the take-up chart in a real browser, over the demo's sample city
// (DemoService, as `npm run cli -- demo` fills it) on SQLite (and PostgreSQL when TEST_DATABASE_URL
// is set) with the clock at 2026-11-24, plus:
// a plan that runs past its deadline, a target without a plan, and an online procedure with no
// recorded case.

interface PlanPoint {
  month: string;
  monthLabel: string;
  planned: number;
  plannedCumulative: number;
  actualCumulative: number | null;
  afterDeadline: boolean;
}

interface TargetProgress {
  id: string;
  verdict: string;
  deadlineLabel: string;
  total: number;
  done: number;
  excluded: number;
  plannedToDate: number | null;
  planVariance: number | null;
  plan: PlanPoint[];
}

interface TakeUpRow {
  code: string;
  name: string;
  online: number;
  offline: number;
  takeUp: number | null;
}

interface TakeUpReport {
  fromLabel: string;
  toLabel: string;
  items: TakeUpRow[];
  groups: (TakeUpRow & { nationalGroup: string | null; label: string; procedures: number })[];
  total: { online: number; offline: number; takeUp: number | null };
}

const integer = new Intl.NumberFormat('ja-JP');
const signed = (value: number) => (value === 0 ? '±0件' : `${value > 0 ? '+' : '−'}${integer.format(Math.abs(value))}件`);
const percentText = (value: number) => `${value.toFixed(1)}%`;

// analog-review (deadline 2027-03-31): 6 a month from 2026-04 to 2027-06, three months past it.
const LATE_PLAN = Array.from({ length: 15 }, (_, index) => {
  const month = 4 + index;
  return { month: `${2026 + Math.floor((month - 1) / 12)}-${String(((month - 1) % 12) + 1).padStart(2, '0')}`, planned: 6 };
});
// 2026-04 … 2026-11: eight months of 6
const LATE_PLAN_TO_DATE = 48;
const NO_CASES = { code: 'CITY-900', name: '【テスト】件数の記録がない電子申請' };

describe.each(databaseKinds())('monthly plans and take-up on the dashboard in Chromium (%s)', (kind) => {
  let t: TestApp;
  let session: BrowserSession;
  let demo: DemoSummary;
  const auth = () => ({ Authorization: `Bearer ${t.adminToken}` });
  const card = (page: Page, target: string) => page.locator(`article[data-target="${target}"]`);

  async function progress(asOf = '2026-11-24'): Promise<Map<string, TargetProgress>> {
    const response = await t.http().get(`/api/v1/progress?asOf=${asOf}`).set(auth()).expect(200);
    return new Map((response.body.targets as TargetProgress[]).map((target) => [target.id, target]));
  }

  async function takeUp(from: string, to: string): Promise<TakeUpReport> {
    return (await t.http().get(`/api/v1/take-up?status=online&from=${from}&to=${to}`).set(auth()).expect(200)).body;
  }

  /** The rows of a burn-up's table: month key and the texts of its cells. */
  const tableRows = (page: Page, target: string) =>
    card(page, target)
      .locator('details tbody tr')
      .evaluateAll((rows) => rows.map((row) => ({ month: (row as HTMLElement).dataset.month!, cells: [...row.children].map((cell) => cell.textContent ?? '') })));

  beforeAll(async () => {
    t = await startTestApp(kind);
    demo = await t.app.get(DemoService).fill({ items: 300 });
    await t.http().put('/api/v1/targets/analog-review/plan').set(auth()).send({ months: LATE_PLAN }).expect(200);
    // a target with items and no plan
    await t.http().post('/api/v1/targets').set(auth()).send({ id: 'seal-fy2026', program: 'seal', label: '押印廃止（令和8年度分）', deadline: '2027-03-31' }).expect(201);
    // online since October, no case recorded: take-up null, listed after the bars
    await t
      .http()
      .post('/api/v1/programs/online/items')
      .set(auth())
      .send({ ...NO_CASES, division: '総務課', status: 'オンライン化済', completedOn: '2026-10-01', nationalGroup: 'city' })
      .expect(201);
    session = await startBrowser(t);
  });

  afterAll(async () => {
    await session?.close();
    await t?.close();
  });

  it('should draw the plan beside the actual line, with the plan to date and the variance in the card', async () => {
    const { page, errors } = await session.open();
    await logIn(page, t.adminLogin);
    const targets = await progress();
    expect(demo.plans.map((plan) => plan.target).sort()).toEqual(['analog-review', 'online-mynumber27', 'online-priority24', 'seal-abolition']);

    // seal-abolition: the demo's even plan from 2024-11 to the deadline 2028-03
    const seal = targets.get('seal-abolition')!;
    expect(seal.plan[0].month).toBe('2024-11');
    const sealCard = card(page, 'seal-abolition');
    expect(await sealCard.locator('[data-role="plan"]').textContent()).toBe(`月別計画（基準月まで）${integer.format(seal.plannedToDate!)}件（計画比 ${signed(seal.planVariance!)}）`);
    expect(seal.planVariance).toBe(seal.done - seal.plannedToDate!);
    // green or red only when the verdict agrees; otherwise neutral, with a note saying why both hold
    const disagrees = seal.planVariance! < 0 ? seal.verdict === 'on_track' : ['behind', 'at_risk', 'missed'].includes(seal.verdict);
    expect(await sealCard.locator('[data-role="plan-variance"]').getAttribute('class')).toBe(disagrees ? 'pace-neutral' : seal.planVariance! < 0 ? 'pace-short' : 'pace-ok');
    expect(await sealCard.locator('[data-role="plan-note"]').count()).toBe(disagrees ? 1 : 0);
    expect(await sealCard.locator('[data-role="plan-after-deadline"]').count()).toBe(0);
    expect(await sealCard.locator('canvas').getAttribute('aria-label')).toContain(`月別計画では基準月までに${seal.plannedToDate}件`);

    // the chart starts at the plan's first month (one before the series' default two years) and
    // runs to its last; the plan dataset is the plan's cumulative counts month by month
    const chart = await chartOf(sealCard.locator('canvas'));
    expect(chart.datasets.map((dataset) => dataset.label)).toEqual(['完了', `期限までの直線（令和9年度末に${seal.total - seal.excluded}件）`, '対象（分母）', '月別計画（累計）']);
    expect(chart.labels).toHaveLength(seal.plan.length);
    expect(chart.labels[0]).toBe('R6.11');
    expect(chart.datasets[3].data).toEqual(seal.plan.map((point) => point.plannedCumulative));
    // the actual line is the series' done, which is the plan's actualCumulative month by month
    const actualMonths = seal.plan.filter((point) => point.actualCumulative !== null);
    expect(chart.datasets[0].data.slice(0, actualMonths.length)).toEqual(actualMonths.map((point) => point.actualCumulative));
    expect(chart.datasets[0].data.slice(actualMonths.length).every((value) => value === null)).toBe(true);

    // the table says the same: a plan column, months to the plan's end, no actual after today
    expect(await sealCard.locator('details thead').textContent()).toBe('月完了対象（分母）計画（累計）');
    const rows = await tableRows(page, 'seal-abolition');
    expect(rows.map((row) => row.month)).toEqual(seal.plan.map((point) => point.month));
    for (const [index, point] of seal.plan.entries()) {
      expect(rows[index].cells[0]).toBe(point.monthLabel);
      expect(rows[index].cells[1]).toBe(point.actualCumulative === null ? '—' : integer.format(point.actualCumulative));
      expect(rows[index].cells[3]).toBe(integer.format(point.plannedCumulative));
    }

    // analog-review: our plan runs three months past the deadline, marked in card, chart and table
    const analog = targets.get('analog-review')!;
    expect(analog.plannedToDate).toBe(LATE_PLAN_TO_DATE);
    const analogCard = card(page, 'analog-review');
    expect(await analogCard.locator('[data-role="plan-variance"]').textContent()).toBe(`（計画比 ${signed(analog.done - LATE_PLAN_TO_DATE)}）`);
    expect(await analogCard.locator('[data-role="plan-after-deadline"]').textContent()).toBe(
      '月別計画は期限（令和8年度末）の後、令和9年6月まで続きます（期限後に18件）。',
    );
    const analogChart = await chartOf(analogCard.locator('canvas'));
    const planSet = analogChart.datasets.find((dataset) => dataset.label === '月別計画（累計）')!;
    const lateIndexes = (planSet.pointStyle as string[]).flatMap((style, index) => (style === 'crossRot' ? [index] : []));
    expect(lateIndexes.map((index) => analogChart.labels[index])).toEqual(['R9.4', 'R9.5', 'R9.6']);
    expect(lateIndexes.map((index) => planSet.data[index])).toEqual([78, 84, 90]);
    // before the plan's first month the plan line is absent, not zero
    expect(planSet.data[analogChart.labels.indexOf('R8.3')]).toBeNull();
    expect(planSet.data[analogChart.labels.indexOf('R8.4')]).toBe(6);
    const analogRows = await tableRows(page, 'analog-review');
    const late = analogRows.filter((row) => row.cells[3].includes('（期限後）'));
    expect(late.map((row) => [row.month, row.cells[3]])).toEqual([
      ['2027-04', '78（期限後）'],
      ['2027-05', '84（期限後）'],
      ['2027-06', '90（期限後）'],
    ]);
    expect(await analogCard.locator('figcaption').textContent()).toContain('赤い点線は期限後の計画');

    // a target without a plan: no plan line, figure or column
    const plain = card(page, 'seal-fy2026');
    await plain.locator('canvas').waitFor();
    expect((await chartOf(plain.locator('canvas'))).datasets.map((dataset) => dataset.label)).not.toContain('月別計画（累計）');
    expect(await plain.locator('[data-role="plan"]').count()).toBe(0);
    expect(await plain.locator('details thead').textContent()).toBe('月完了対象（分母）');
    expect(errors).toEqual([]);

    await page.locator('#targets-section').screenshot({ path: path.join(SCREENSHOTS, 'plans-desktop-1366x768-targets.png') });
    await sealCard.screenshot({ path: path.join(SCREENSHOTS, 'plans-desktop-1366x768-seal-card.png') });
    await analogCard.screenshot({ path: path.join(SCREENSHOTS, 'plans-desktop-1366x768-analog-card.png') });
  });

  it('should chart the take-up of the procedures online, worst first, with the groups and the total', async () => {
    const { page, errors } = await session.open();
    await logIn(page, t.adminLogin);
    // default period: the twelve months up to the as-of month
    expect(await page.locator('#take-up-from').inputValue()).toBe('2025-12');
    expect(await page.locator('#take-up-to').inputValue()).toBe('2026-11');
    const report = await takeUp('2025-12', '2026-11');
    const withCases = report.items.filter((item) => item.takeUp !== null);
    expect(withCases.length).toBeGreaterThan(20);
    expect(report.items.at(-1)!.code).toBe(NO_CASES.code);
    expect(await page.locator('#take-up-period').textContent()).toBe(
      `令和7年12月〜令和8年11月（12か月）・現在オンライン化済の手続 ${report.items.length}件（うち件数の記録なし 1件）`,
    );

    // one bar per procedure with cases, worst first, valued by take-up
    const chart = await chartOf(page.locator('#take-up-chart canvas'));
    expect(chart.labels).toEqual(withCases.map((item) => item.name));
    expect(chart.datasets[0].data).toEqual(withCases.map((item) => item.takeUp));
    const values = chart.datasets[0].data as number[];
    expect([...values].sort((a, b) => a - b)).toEqual(values);
    // long names are cut on the axis; the table and the tooltip carry them whole
    expect(chart.yTicksDisplayed).toBe(true);
    expect(chart.yTicks.every((label) => label.length <= 22)).toBe(true);
    expect(chart.yTicks.some((label) => label.endsWith('…'))).toBe(true);
    // the procedure without cases is not a bar: it is listed after the chart
    expect(await page.locator('#take-up-no-cases').textContent()).toBe(`件数の記録がない手続（1件、グラフに含めていません）: ${NO_CASES.name}（${NO_CASES.code}）`);

    // the summary row: the total first, then each national group
    const tiles = await page.locator('#take-up-summary li').evaluateAll((nodes) => nodes.map((node) => [(node as HTMLElement).dataset.group, node.querySelector('.tile-percent')?.textContent]));
    expect(tiles).toEqual([['total', percentText(report.total.takeUp!)], ...report.groups.map((group) => [group.nationalGroup ?? 'none', percentText(group.takeUp!)])]);

    // the table: every procedure in the API's order, then the groups and the total
    const table = page.locator('#take-up-table');
    expect(await table.locator('tbody tr').evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.code))).toEqual(report.items.map((item) => item.code));
    const first = withCases[0];
    expect(await table.locator(`tbody tr[data-code="${first.code}"]`).textContent()).toContain(`${integer.format(first.online)}${integer.format(first.offline)}${percentText(first.takeUp!)}`);
    expect(await table.locator(`tbody tr[data-code="${NO_CASES.code}"] [data-role="take-up"]`).textContent()).toBe('記録なし');
    expect(await table.locator(`tbody tr[data-code="${NO_CASES.code}"]`).getAttribute('class')).toBe('no-cases');
    expect(await table.locator('tfoot tr[data-group="total"]').textContent()).toBe(
      `全体（${report.items.length}手続）${integer.format(report.total.online)}${integer.format(report.total.offline)}${percentText(report.total.takeUp!)}`,
    );
    expect(errors).toEqual([]);

    await page.screenshot({ path: path.join(SCREENSHOTS, 'plans-desktop-1366x768-top.png') });
    await page.locator('#take-up-title').evaluate((title) => title.scrollIntoView());
    await page.screenshot({ path: path.join(SCREENSHOTS, 'plans-desktop-1366x768-take-up-view.png') });
    await page.locator('#take-up-section details summary').click();
    await page.locator('#take-up-section').screenshot({ path: path.join(SCREENSHOTS, 'plans-desktop-1366x768-take-up.png') });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'plans-desktop-1366x768-full.png'), fullPage: true });
  });

  it('should take another period, say why one is refused, and return to the default', async () => {
    const { page, errors } = await session.open();
    await logIn(page, t.adminLogin);
    const section = page.locator('#take-up-section');
    await section.getByLabel('開始月').fill('2026-04');
    await section.getByLabel('終了月').fill('2026-09');
    await section.getByRole('button', { name: '表示' }).click();
    await page.waitForFunction(() => document.querySelector('#take-up-period')?.textContent?.startsWith('令和8年4月〜令和8年9月（6か月）'));
    const half = await takeUp('2026-04', '2026-09');
    expect(await page.locator('#take-up-summary [data-group="total"] .tile-percent').textContent()).toBe(percentText(half.total.takeUp!));
    expect((await chartOf(page.locator('#take-up-chart canvas'))).datasets[0].data).toEqual(half.items.filter((item) => item.takeUp !== null).map((item) => item.takeUp));

    // a period that ends before it starts: the API's message, the last chart stays
    await section.getByLabel('開始月').fill('2026-09');
    await section.getByLabel('終了月').fill('2026-04');
    await section.getByRole('button', { name: '表示' }).click();
    await page.waitForFunction(() => Boolean(document.querySelector('#take-up-error')?.textContent));
    expect(await page.locator('#take-up-error').textContent()).toBe('オンライン利用率を読み込めませんでした: 期間の開始 2026-09 が終了 2026-04 より後です');
    expect(await page.locator('#take-up-error').getAttribute('role')).toBe('alert');

    await section.getByRole('button', { name: '基準日までの12か月' }).click();
    await page.waitForFunction(() => document.querySelector('#take-up-period')?.textContent?.startsWith('令和7年12月〜令和8年11月'));
    expect(await page.locator('#take-up-error').textContent()).toBe('');
    expect(unexpected(errors, 400)).toEqual([]);
  });

  it('should follow the as-of date: the plan to that month and the twelve months before it', async () => {
    const { page, errors } = await session.open();
    await logIn(page, t.adminLogin);
    await page.getByLabel('基準日').fill('2026-06-30');
    await page.waitForFunction(() => document.body.dataset.loadedAsOf === '2026-06-30');
    const targets = await progress('2026-06-30');
    const seal = targets.get('seal-abolition')!;
    expect(await card(page, 'seal-abolition').locator('[data-role="plan"]').textContent()).toBe(
      `月別計画（基準月まで）${integer.format(seal.plannedToDate!)}件（計画比 ${signed(seal.planVariance!)}）`,
    );
    // our analog plan: April to June 2026 is 18
    expect(targets.get('analog-review')!.plannedToDate).toBe(18);
    expect(await card(page, 'analog-review').locator('[data-role="plan"] dd').textContent()).toContain('18件');
    expect(await page.locator('#take-up-from').inputValue()).toBe('2025-07');
    expect(await page.locator('#take-up-to').inputValue()).toBe('2026-06');
    const report = await takeUp('2025-07', '2026-06');
    expect(await page.locator('#take-up-summary [data-group="total"] .tile-percent').textContent()).toBe(percentText(report.total.takeUp!));
    expect(errors).toEqual([]);
  });

  it('should fit a 390px phone: cards, plan and take-up without sideways scrolling', async () => {
    const { page, errors } = await session.open(PHONE);
    await logIn(page, t.adminLogin);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // a narrow chart writes each name above its bar (no axis labels) in taller rows
    const chart = await chartOf(page.locator('#take-up-chart canvas'));
    expect(chart.yTicksDisplayed).toBe(false);
    const box = await page.locator('#take-up-chart').boundingBox();
    expect(box!.width).toBeLessThanOrEqual(PHONE.width);
    const chartBox = await page.locator('#take-up-chart .chart-box').boundingBox();
    expect(chartBox!.height).toBe(chart.labels.length * 40 + 56);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(SCREENSHOTS, 'plans-phone-390x844-top.png') });
    await card(page, 'seal-abolition').screenshot({ path: path.join(SCREENSHOTS, 'plans-phone-390x844-seal-card.png') });
    await card(page, 'analog-review').screenshot({ path: path.join(SCREENSHOTS, 'plans-phone-390x844-analog-card.png') });
    await page.locator('#take-up-title').evaluate((title) => title.scrollIntoView());
    await page.screenshot({ path: path.join(SCREENSHOTS, 'plans-phone-390x844-take-up-view.png') });
    await page.locator('#take-up-section').screenshot({ path: path.join(SCREENSHOTS, 'plans-phone-390x844-take-up.png') });
    expect(errors).toEqual([]);
  });
});
