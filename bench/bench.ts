import 'reflect-metadata';
import autocannon from 'autocannon';
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command } from 'commander';
import { INestApplicationContext } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { UsersService } from '../src/auth/users.service';
import { createCliContext } from '../src/bootstrap';
import { FixedClock } from '../src/common/clock';
import { AppConfig, DatabaseSettings, loadConfig, parseDatabaseUrl } from '../src/config/app-config';
import { CLI_ACTOR, ImportsService } from '../src/imports/imports.service';
import { OrganizationService } from '../src/organization/organization.service';
import { ProgressService } from '../src/progress/progress.service';
import { ReferenceDataService } from '../src/reference/reference-data.service';
import { formatTable } from '../src/cli/table';
import { baselineRows, rawInsert } from './baselines';
import { writeBenchSheets } from './bench-data';
import { measureExport } from './bench-export';

// `npm run bench -- --items N [--json]` (CONTRACT.md "Benchmark"): each real path is measured
// against a raw baseline in the same run, so the ratios hold on a noisy machine.
// Lives outside src/ (compiled by tsconfig.bench.json into dist-bench/) because it imports a dev
// dependency, autocannon, which the server install (`npm ci --omit=dev`) does not have.

/** The repository: bench/ or dist-bench/bench/ (compiled); its copy of src/ must not pick the root. */
const repoRoot = path.basename(path.resolve(__dirname, '..')) === 'dist-bench' ? path.resolve(__dirname, '..', '..') : path.resolve(__dirname, '..');

interface BenchOptions {
  items: number;
  json?: boolean;
  httpSeconds: number;
  progressRuns: number;
  connections: number;
  keep?: boolean;
  repeat: number;
}

// The bench draws its data as of a fixed day, so every run measures the same rows.
const BENCH_NOW = '2026-11-24T01:00:00Z';
const BENCH_TODAY = '2026-11-24';

interface BenchDatabase {
  settings: DatabaseSettings;
  url: string;
  drop(): Promise<void>;
}

async function freshDatabase(base: DatabaseSettings, dir: string, name: string): Promise<BenchDatabase> {
  if (base.type === 'sqlite') {
    const file = path.join(dir, `${name}.sqlite`);
    return { settings: { type: 'sqlite', path: file }, url: `sqlite:${file}`, drop: async () => undefined };
  }
  const schema = `bench_${name}_${process.pid}`;
  const client = new Client({ connectionString: base.url });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.end();
  const separator = base.url.includes('?') ? '&' : '?';
  return {
    settings: { ...base, schema },
    url: `${base.url}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    drop: async () => {
      const dropper = new Client({ connectionString: base.url });
      await dropper.connect();
      await dropper.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await dropper.end();
    },
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const log = (message: string) => process.stderr.write(`bench: ${message}\n`);

/** Runs the CLI in a child process, as an operator would, and returns its peak RSS in MB. */
async function cliPeakRss(url: string, args: string[]): Promise<number> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), ...args], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  let peak = 0;
  const poll = setInterval(() => (peak = Math.max(peak, peakRssOf(child.pid!))), 50);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(poll);
  if (code !== 0) throw new Error(`bench: cli ${args.join(' ')} failed (${code}): ${stderr}`);
  return peak;
}

async function startServer(url: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'dist', 'main.js')], {
    env: { ...process.env, DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1', LOG_REQUESTS: 'off' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  for (let attempt = 0; attempt < 240; attempt++) {
    if (child.exitCode !== null) throw new Error(`bench: the server exited: ${stderr}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health`);
      if (response.ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  child.kill('SIGKILL');
  throw new Error('bench: the server did not start');
}

function peakRssOf(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** CPU time (user + system) a process has used so far, in ms, from /proc. */
function cpuMsOf(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

async function measurePatches(baseUrl: string, token: string, ids: number[], versions: Map<number, number>, seconds: number, connections: number) {
  let next = 0;
  let conflicts = 0;
  const result = await autocannon({
    url: baseUrl,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'PATCH',
        // Each connection works through its own share of the items, so no two in-flight requests
        // touch the same item and every 409 would be a real failure.
        setupRequest: (request: Record<string, unknown>, context: Record<string, unknown>) => {
          if (context.mine === undefined) context.mine = next++;
          const own = ids.filter((_, index) => index % connections === (context.mine as number) % connections);
          const turn = ((context.turn as number | undefined) ?? 0) + 1;
          context.turn = turn;
          const id = own[turn % own.length];
          context.id = id;
          return {
            ...request,
            path: `/api/v1/items/${id}`,
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ note: `bench ${turn}`, version: versions.get(id) }),
          };
        },
        onResponse: (status: number, body: string, context: Record<string, unknown>) => {
          if (status === 200) versions.set(context.id as number, JSON.parse(body).version);
          else if (status === 409) conflicts++;
        },
      },
    ],
  } as unknown as autocannon.Options);
  return {
    requests: result.requests.total,
    patchPerSec: round(result.requests.average),
    p99Ms: result.latency.p99,
    p50Ms: result.latency.p50,
    non2xx: result.non2xx,
    conflicts,
  };
}

export async function runBench(options: BenchOptions) {
  const base = parseDatabaseUrl(process.env.DATABASE_URL, repoRoot);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracker-bench-'));
  const measured = await freshDatabase(base, dir, 'measured');
  const clock = new FixedClock(BENCH_NOW);
  const config: AppConfig = { ...loadConfig({}), database: measured.settings, logRequests: false, projectRoot: repoRoot };
  try {
    log(`database: ${base.type}, items: ${options.items}, dir: ${dir}`);
    const context = await createCliContext({ config, clock, logger: ['error'] });
    await context.get(ReferenceDataService).load();
    const index = await context.get(OrganizationService).currentDivisions();
    const divisionIds = new Map(index.divisions.map((division) => [division.code, division.id]));

    log('writing the sheets');
    const sheets = await writeBenchSheets({ count: options.items, today: BENCH_TODAY, divisionCodes: [...divisionIds.keys()], dir });

    // Each side runs `repeat` times, alternating, into fresh databases; the medians are compared,
    // so a burst of load on this small machine moves one run, not the ratio.
    log('import: the raw baseline rows');
    const baselineDatabases: BenchDatabase[] = [];
    const prepareBaseline = async (round: number) => {
      const database = await freshDatabase(base, dir, `baseline${round}`);
      baselineDatabases.push(database);
      // The baseline database gets the same schema and organization, then the bare driver's rows.
      const baselineContext = await createCliContext({ config: { ...config, database: database.settings }, clock, logger: ['error'] });
      await baselineContext.get(ReferenceDataService).load();
      const baselineIndex = await baselineContext.get(OrganizationService).currentDivisions();
      await baselineContext.close();
      return { database, divisionIds: new Map(baselineIndex.divisions.map((division) => [division.code, division.id])) };
    };
    const first = await prepareBaseline(0);
    const rows = baselineRows({ count: options.items, today: BENCH_TODAY, divisionIds: first.divisionIds, nowIso: BENCH_NOW });

    const importInto = async (target: INestApplicationContext) => {
      const imports = target.get(ImportsService);
      const started = process.hrtime.bigint();
      for (const sheet of sheets) {
        const result = await imports.importFile({ program: sheet.program, path: sheet.path, fileName: path.basename(sheet.path), actor: CLI_ACTOR, dryRun: false });
        if (!result.applied) throw new Error(`bench: import of ${sheet.program} refused: ${JSON.stringify(result.errors.slice(0, 3))}`);
      }
      return Number(process.hrtime.bigint() - started) / 1e9;
    };
    const importRuns: number[] = [];
    const baselineRuns: number[] = [];
    for (let round = 0; round < options.repeat; round++) {
      log(`import: round ${round + 1} of ${options.repeat}`);
      const last = round === options.repeat - 1;
      // The last round imports into the database the rest of the bench reads.
      if (last) importRuns.push(await importInto(context));
      else {
        const scratch = await freshDatabase(base, dir, `import${round}`);
        const scratchContext = await createCliContext({ config: { ...config, database: scratch.settings }, clock, logger: ['error'] });
        await scratchContext.get(ReferenceDataService).load();
        importRuns.push(await importInto(scratchContext));
        await scratchContext.close();
        await scratch.drop();
      }
      const target = round === 0 ? first : await prepareBaseline(round);
      baselineRuns.push(await rawInsert(target.database.settings, rows));
    }
    rows.length = 0;
    for (const database of baselineDatabases) await database.drop();
    const importSeconds = median(importRuns);
    const baselineSeconds = median(baselineRuns);

    log('export');
    const exportFigures = await measureExport(context, dir, options.repeat);

    log('progress');
    const progress = context.get(ProgressService);
    const timeRuns = async (work: () => Promise<unknown>) => {
      await work(); // warm the statement cache
      const runs: number[] = [];
      for (let run = 0; run < options.progressRuns; run++) {
        const started = process.hrtime.bigint();
        await work();
        runs.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
      return runs.sort((a, b) => a - b);
    };
    // As served (reused until a row changes) and recomputed in the database every time.
    const timings = await timeRuns(() => progress.progress(BENCH_TODAY));
    const uncached = await timeRuns(() => progress.computeProgress(BENCH_TODAY));

    const admin = await context.get(UsersService).createWithToken({ name: 'bench', role: 'admin' });
    const dataSource = context.get(DataSource);
    const patchIds = (await dataSource.query(`SELECT id FROM items WHERE program = 'analog' ORDER BY id LIMIT 2000`)).map((row: { id: number | string }) => Number(row.id));
    await context.close();

    log(`http: PATCH through a running server, ${options.repeat} runs of ${options.httpSeconds} s`);
    const port = 20000 + (process.pid % 20000);
    const server = await startServer(measured.url, port);
    const httpRuns: (Awaited<ReturnType<typeof measurePatches>> & { serverCpuMsPerPatch: number })[] = [];
    let serverRss = 0;
    try {
      const versions = new Map<number, number>(patchIds.map((id: number) => [id, 1]));
      for (let run = 0; run < options.repeat; run++) {
        const cpuBefore = cpuMsOf(server.pid!);
        const measuredRun = await measurePatches(`http://127.0.0.1:${port}`, admin.token, patchIds, versions, options.httpSeconds, options.connections);
        httpRuns.push({ ...measuredRun, serverCpuMsPerPatch: round((cpuMsOf(server.pid!) - cpuBefore) / Math.max(1, measuredRun.requests), 3) });
        log(`  run ${run + 1}: ${measuredRun.patchPerSec}/s, p99 ${measuredRun.p99Ms} ms`);
      }
      serverRss = peakRssOf(server.pid!);
    } finally {
      server.kill('SIGTERM');
    }
    const spread = (values: number[]) => ({ min: Math.min(...values), median: median(values), max: Math.max(...values) });
    const http = {
      patchPerSec: median(httpRuns.map((run) => run.patchPerSec)),
      p99Ms: median(httpRuns.map((run) => run.p99Ms)),
      p50Ms: median(httpRuns.map((run) => run.p50Ms)),
      non2xx: httpRuns.reduce((sum, run) => sum + run.non2xx, 0),
      conflicts: httpRuns.reduce((sum, run) => sum + run.conflicts, 0),
      runs: httpRuns.length,
      patchPerSecSpread: spread(httpRuns.map((run) => run.patchPerSec)),
      p99MsSpread: spread(httpRuns.map((run) => run.p99Ms)),
      serverCpuMsPerPatch: spread(httpRuns.map((run) => run.serverCpuMsPerPatch)),
      // what else the machine was doing: a loaded machine reads low, whatever the code does
      loadAverage1m: round(os.loadavg()[0], 1),
    };
    const benchRss = process.resourceUsage().maxRSS / 1024;

    // Peak memory of the real paths as an operator runs them, each in its own process: the
    // imports into a fresh database, and the compliance workbook (every sheet) of the full one.
    log('peak RSS: import and export as separate CLI processes');
    const rssCheck = await freshDatabase(base, dir, 'rss');
    let importRss = 0;
    for (const sheet of sheets) importRss = Math.max(importRss, await cliPeakRss(rssCheck.url, ['import', sheet.program, sheet.path]));
    await rssCheck.drop();
    const exportRss = await cliPeakRss(measured.url, ['export', 'compliance', '--format', 'xlsx', '--out', path.join(dir, 'compliance.xlsx')]);

    return {
      items: options.items,
      database: base.type,
      import: {
        rowsPerSec: Math.round(options.items / importSeconds),
        baselineRowsPerSec: Math.round(options.items / baselineSeconds),
        ratio: round(baselineSeconds / importSeconds, 2),
      },
      export: exportFigures,
      progress: { p50Ms: round(percentile(timings, 50)), p99Ms: round(percentile(timings, 99)) },
      progressRecomputed: { p50Ms: round(percentile(uncached, 50)), p99Ms: round(percentile(uncached, 99)) },
      http,
      peakRssMb: Math.round(Math.max(serverRss, importRss, exportRss)),
      // The bench process also holds the baselines' rows and cells: not the application's memory.
      peakRssDetail: { serverMb: Math.round(serverRss), importCliMb: Math.round(importRss), complianceExportCliMb: Math.round(exportRss), benchProcessMb: Math.round(benchRss) },
    };
  } finally {
    if (options.keep) log(`kept: ${dir} (${measured.url})`);
    else {
      await measured.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

function render(report: Awaited<ReturnType<typeof runBench>>): string {
  const rows = [
    ['import', `${report.import.rowsPerSec} rows/s`, `${report.import.baselineRowsPerSec} rows/s (bare driver)`, `${report.import.ratio}`, '≥ 0.4'],
    ['export', `${report.export.rowsPerSec} rows/s`, `${report.export.baselineRowsPerSec} rows/s (exceljs stream)`, `${report.export.ratio}`, '≥ 0.7'],
    ['progress (as served)', `p50 ${report.progress.p50Ms} ms, p99 ${report.progress.p99Ms} ms`, '', '', 'p99 ≤ 50 ms'],
    ['progress (recomputed)', `p50 ${report.progressRecomputed.p50Ms} ms, p99 ${report.progressRecomputed.p99Ms} ms`, '', '', ''],
    [
      'PATCH',
      `${report.http.patchPerSec}/s, p99 ${report.http.p99Ms} ms (median of ${report.http.runs}; min–max ${report.http.patchPerSecSpread.min}–${report.http.patchPerSecSpread.max}/s, p99 ${report.http.p99MsSpread.min}–${report.http.p99MsSpread.max} ms; server CPU ${report.http.serverCpuMsPerPatch.median} ms/PATCH; load ${report.http.loadAverage1m})`,
      '',
      '',
      '≥ 1,000/s, p99 ≤ 50 ms',
    ],
    ['peak RSS', `${report.peakRssMb} MB (server ${report.peakRssDetail.serverMb}, import ${report.peakRssDetail.importCliMb}, workbook ${report.peakRssDetail.complianceExportCliMb})`, '', '', '≤ 512 MB'],
  ];
  return `${report.items} items on ${report.database}\n\n${formatTable(['what', 'measured', 'baseline', 'ratio', 'goal'], rows)}`;
}

async function main(argv: string[]): Promise<number> {
  const program = new Command('bench')
    .option('--items <n>', 'items to generate over the three programs', '20000')
    .option('--json', 'print one JSON object')
    .option('--http-seconds <n>', 'how long to drive PATCH requests', '10')
    .option('--progress-runs <n>', 'progress queries to time', '50')
    .option('--connections <n>', 'concurrent HTTP connections', '10')
    .option('--keep', 'keep the generated databases and sheets (for profiling)')
    .option('--repeat <n>', 'runs of each import and export side, and of the PATCH load (the median counts; the spread is reported)', '3')
    .parse(argv, { from: 'user' });
  const raw = program.opts();
  const options: BenchOptions = {
    items: Number(raw.items),
    json: raw.json,
    httpSeconds: Number(raw.httpSeconds),
    progressRuns: Number(raw.progressRuns),
    connections: Number(raw.connections),
    keep: raw.keep,
    repeat: Math.max(1, Number(raw.repeat)),
  };
  if (!Number.isInteger(options.items) || options.items < 100) {
    process.stderr.write('--items must be an integer ≥ 100\n');
    return 2;
  }
  const report = await runBench(options);
  process.stdout.write(`${options.json ? JSON.stringify(report) : render(report)}\n`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
}
