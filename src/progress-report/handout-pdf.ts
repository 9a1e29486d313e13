import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { DomainError } from '../common/domain-error';

// The printed report as a PDF: the same HTML, printed by headless Chromium (playwright-core).

export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.CHROMIUM_PATH?.trim() || DEFAULT_CHROMIUM_PATH;
}

/** Pages in a PDF written by Chromium (its page objects are not compressed). */
export function countPdfPages(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-z])/g) ?? []).length;
}

export async function renderPdf(html: string, out: string, executablePath: string): Promise<{ pages: number; bytes: number }> {
  if (!existsSync(executablePath)) {
    throw new DomainError(
      'chromium_not_found',
      `PDF を作るための Chromium が見つかりません（${executablePath}）。CHROMIUM_PATH に場所を指定するか、Chromium と日本語フォントを入れてください（Debian: apt-get install chromium fonts-noto-cjk）`,
    );
  }
  // loaded here, not at the top: only this command needs a browser
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    await writeFile(out, pdf);
    return { pages: countPdfPages(pdf), bytes: pdf.length };
  } finally {
    await browser.close();
  }
}
