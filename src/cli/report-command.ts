import { Command } from 'commander';
import { resolve } from 'node:path';
import { Clock, CLOCK } from '../common/clock';
import { parseAsOf } from '../common/query-params';
import { renderHandout } from '../progress-report/handout-html';
import { chromiumPath, renderPdf } from '../progress-report/handout-pdf';
import { ProgressReportService } from '../progress-report/progress-report.service';
import { CliIo, UsageError, withContext } from './cli-runtime';

export function registerReportCommand(program: Command, io: CliIo): void {
  program
    .command('report')
    .description('the printable progress report (進捗報告) as a PDF of two A4 pages (headless Chromium: CHROMIUM_PATH, default /usr/bin/chromium)')
    .requiredOption('--out <file>', 'the PDF to write (.pdf)')
    .option('--as-of <date>', 'YYYY-MM-DD, 和暦 or 令和8年度末 (default today)')
    .option('--department <name>', 'one department (name or code): its initiatives and divisions')
    .action(async (options: { out: string; asOf?: string; department?: string }) => {
      if (!/\.pdf$/i.test(options.out)) throw new UsageError('--out は .pdf のファイル名にしてください');
      const executable = chromiumPath();
      const html = await withContext(async (context) => {
        const asOf = options.asOf ? parseAsOf(options.asOf) : context.get<Clock>(CLOCK).today();
        return renderHandout(await context.get(ProgressReportService).data(asOf, options.department), { css: 'inline' });
      });
      const out = resolve(options.out);
      const { pages, bytes } = await renderPdf(html, out, executable);
      io.out(`${out} に進捗報告を書きました（A4 ${pages}ページ、${Math.round(bytes / 1024)} KB）`);
    });
}
