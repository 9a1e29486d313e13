import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { Browser, BrowserContext, chromium, Locator, Page } from 'playwright-core';
import { TEST_PASSWORD, TestApp } from '../support/test-app';

// What the browser tests share: Debian's Chromium, a tab that records console errors, logging in.

export const SCREENSHOTS = path.join(__dirname, 'screenshots');
export const DESKTOP = { width: 1366, height: 768 };
export const PHONE = { width: 390, height: 844 };

export interface BrowserSession {
  browser: Browser;
  baseUrl: string;
  /** A fresh tab (own sessionStorage) that records console errors and uncaught exceptions. */
  open(viewport?: { width: number; height: number }): Promise<{ page: Page; errors: string[] }>;
  close(): Promise<void>;
}

/** Serves the test app on a free port and starts Chromium against it. */
export async function startBrowser(t: TestApp): Promise<BrowserSession> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await t.app.listen(0, '127.0.0.1');
  const baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const contexts: BrowserContext[] = [];
  return {
    browser,
    baseUrl,
    async open(viewport = DESKTOP) {
      const context = await browser.newContext({ viewport, locale: 'ja-JP', timezoneId: 'Asia/Tokyo', acceptDownloads: true });
      contexts.push(context);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(`console: ${message.text()}`);
      });
      page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
      await page.goto(`${baseUrl}/`);
      return { page, errors };
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
    },
  };
}

/**
 * Console errors other than Chromium's own network log line for an answer the test provoked on
 * purpose (a 409, a 400, …): fetch() itself succeeds and the page shows the message.
 */
export const unexpected = (errors: string[], status: number) =>
  errors.filter((error) => !error.startsWith(`console: Failed to load resource: the server responded with a status of ${status} `));

/** Signs in with an ID and password (the contract's accessible names) and waits for the dashboard. */
export async function logIn(page: Page, login: string, password = TEST_PASSWORD): Promise<void> {
  await page.getByLabel('ログインID').fill(login);
  await page.getByLabel('パスワード', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'ログイン' }).click();
  await page.locator('#dashboard').waitFor({ state: 'visible' });
  // progress, every chart, the take-up and the overdue list drawn, and the items list loaded
  await page.waitForFunction(() => Boolean(document.body.dataset.loadedAsOf));
  // (attached: the items list is in its own view, which may be hidden)
  await page.locator('#items-table tbody tr').first().waitFor({ state: 'attached' });
}

/** Opens one of the page's views from its menu (進捗, 項目, シート). */
export async function showView(page: Page, view: 'progress' | 'items' | 'sheets' | string): Promise<void> {
  await page.locator(`.view-nav a[data-view="${view}"]`).click();
  await page.locator(`.view[data-view="${view}"]`).waitFor({ state: 'visible' });
}

export interface ChartSnapshot {
  labels: string[];
  datasets: { label: string; data: (number | null)[]; pointStyle: unknown }[];
  /** The category axis' tick labels (after any shortening), and whether they are drawn. */
  yTicks: string[];
  yTicksDisplayed: boolean;
}

interface ChartJsInstance {
  data: { labels: string[]; datasets: { label: string; data: (number | null)[]; pointStyle?: unknown }[] };
  scales: Record<string, { ticks: { label: string | string[] }[]; options: { ticks: { display: boolean } } }>;
}

/** What Chart.js holds for the chart drawn on a canvas (the page's own Chart.getChart). */
export function chartOf(canvas: Locator): Promise<ChartSnapshot> {
  return canvas.evaluate((node) => {
    const chart = (window as unknown as { Chart: { getChart(element: Element): ChartJsInstance | undefined } }).Chart.getChart(node);
    if (!chart) throw new Error('no chart on this canvas');
    return {
      labels: [...chart.data.labels],
      datasets: chart.data.datasets.map((dataset) => ({ label: dataset.label, data: [...dataset.data], pointStyle: dataset.pointStyle ?? null })),
      yTicks: (chart.scales.y?.ticks ?? []).map((tick) => String(tick.label)),
      yTicksDisplayed: chart.scales.y?.options.ticks.display ?? false,
    };
  });
}
