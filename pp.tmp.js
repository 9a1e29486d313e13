require('reflect-metadata');
const { createCliContext } = require('./dist/bootstrap');
const { loadConfig } = require('./dist/config/app-config');
const { ProgressService } = require('./dist/progress/progress.service');
const { ProgressRepository } = require('./dist/progress/progress.repository');
(async () => {
  const config = { ...loadConfig({ DATABASE_URL: 'sqlite:' + process.argv[2] }) };
  const ctx = await createCliContext({ config, logger: ['error'] });
  const p = ctx.get(ProgressService); const r = ctx.get(ProgressRepository);
  const time = async (label, fn, n = 20) => { await fn(); const t0 = process.hrtime.bigint(); for (let i = 0; i < n; i++) await fn(); console.log(label, (Number(process.hrtime.bigint() - t0) / n / 1e6).toFixed(1), 'ms'); };
  await time('progress', () => p.progress('2026-11-24'));
  await time('stateCounts now', () => r.stateCounts('2026-11-24'));
  await time('stateCounts window', () => r.stateCounts('2026-05-24'));
  await time('placements', () => p.placements('2026-11-24'));
  await ctx.close();
})();
