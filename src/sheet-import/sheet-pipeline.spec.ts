import type { EntityManager } from 'typeorm';
import { useTempDir, writeCsv } from '../../test/support/temp-files';
import { Actor } from '../common/actor';
import { DomainError } from '../common/domain-error';
import { WorkBudget } from '../common/work-budget';
import { ColumnSpec, SheetFormatError, SheetRow } from '../sheets';
import { checkSheet, CheckedSheet, fileError, runSheetImport, SheetContext, SheetImportKind, SheetImportPorts, SheetRules } from './sheet-pipeline';

// The pipeline without Nest or a database: a small kind (管理番号 and 件数, codes looked up per
// chunk, a total over the whole sheet) and fake ports that record what they were asked.

const dir = useTempDir('sheet-pipeline-');
const csv = (name: string, lines: string[]) => writeCsv(dir, name, lines, { bom: false });

const ACTOR: Actor = { userId: 1, name: '取込 太郎', role: 'admin', departmentId: null };
const COLUMNS: ColumnSpec[] = [
  { key: 'code', header: '管理番号', required: true },
  { key: 'count', header: '件数', aliases: ['数'], required: true },
];

interface Counted {
  row: SheetRow;
  code: string;
  count: number;
}

class CountRules implements SheetRules<Counted> {
  readonly columns = COLUMNS;
  readonly preferredSheetNames = ['件数'];
  readonly lookups: string[][] = [];
  readonly accepted: { code: string; count: number }[] = [];

  constructor(
    private readonly known: (code: string) => boolean = () => true,
    private readonly maxTotal = Number.MAX_SAFE_INTEGER,
  ) {}

  checkRow(row: SheetRow, sheet: SheetContext): Counted | undefined {
    const code = String(sheet.cell(row, 'code') ?? '').trim();
    const cell = sheet.cell(row, 'count');
    const count = cell === null ? Number.NaN : Number(cell);
    const problems = [];
    if (!code) problems.push({ field: 'code', code: 'missing_required', message: '管理番号は必須です' });
    if (!Number.isInteger(count) || count < 0) problems.push({ field: 'count', code: 'invalid_number', message: '件数は0以上の整数です' });
    if (problems.length) {
      sheet.errors.addRow(row, problems);
      return undefined;
    }
    const first = sheet.errors.firstRow(code, row.rowNumber);
    if (first !== undefined) {
      sheet.errors.addRow(row, [{ field: 'code', code: 'duplicate_code', message: `${first}行目と重複しています` }]);
      return undefined;
    }
    return { row, code, count };
  }

  async checkChunk(rows: Counted[], sheet: SheetContext): Promise<void> {
    this.lookups.push(rows.map((entry) => entry.code));
    for (const entry of rows) {
      if (this.known(entry.code)) this.accepted.push({ code: entry.code, count: entry.count });
      else sheet.errors.addRow(entry.row, [{ field: 'code', code: 'unknown_code', message: 'ありません' }]);
    }
  }

  checkSheet(sheet: SheetContext): void {
    const total = this.accepted.reduce((sum, entry) => sum + entry.count, 0);
    if (total > this.maxTotal) sheet.errors.addAt(2, { field: 'count', code: 'too_many', message: '合計が多すぎます', value: String(total) });
  }
}

describe('checkSheet', () => {
  it('finds the header below title rows, skips blank rows, and reports each problem in sheet order', async () => {
    const rules = new CountRules((code) => code !== 'X-9');
    const path = csv('mixed.csv', ['令和8年度 件数', '', '管理番号,数,担当', 'A-1,3,', 'X-9,1,', ',,', 'A-2,-1,', 'A-1,2,', ',,山田', 'A-3,', '']);
    const sheet = await checkSheet(rules, { path });
    expect(sheet.header.rowNumber).toBe(3);
    // the row with only an unknown column is blank: not counted, not checked
    expect(sheet.rows).toBe(5);
    expect(sheet.errors).toEqual([
      { row: 5, column: '管理番号', value: 'X-9', code: 'unknown_code', message: 'ありません' },
      { row: 7, column: '数', value: '-1', code: 'invalid_number', message: '件数は0以上の整数です' },
      { row: 8, column: '管理番号', value: 'A-1', code: 'duplicate_code', message: '4行目と重複しています' },
      { row: 10, column: '数', value: '', code: 'invalid_number', message: '件数は0以上の整数です' },
    ]);
    expect(sheet).toMatchObject({ errorCount: 4, errorsOmitted: 0 });
    expect(sheet.warnings).toEqual([{ row: 3, column: '担当', code: 'unknown_column', message: '列「担当」は取り込みの対象外です（無視しました）' }]);
    expect(rules.accepted).toEqual([{ code: 'A-1', count: 3 }]);
  });

  it('looks stored data up once per chunk of 500 rows and reports reading progress every 1,000 rows read', async () => {
    const lines = ['管理番号,件数'];
    for (let n = 1; n <= 1200; n++) lines.push(`C-${n},1`);
    const rules = new CountRules();
    const read: number[] = [];
    const sheet = await checkSheet(rules, { path: csv('many.csv', lines), onRead: (rows) => read.push(rows) });
    expect(rules.lookups.map((codes) => codes.length)).toEqual([500, 500, 200]);
    expect(read).toEqual([1000, 1201]);
    expect(sheet).toMatchObject({ rows: 1200, errorCount: 0, warnings: [] });
  });

  it('checks the whole sheet after its last row, and warns of a header without rows', async () => {
    const rules = new CountRules(() => true, 5);
    const sheet = await checkSheet(rules, { path: csv('total.csv', ['管理番号,件数', 'A-1,3', 'A-2,4']) });
    expect(sheet.errors).toEqual([{ row: 2, column: '件数', value: '7', code: 'too_many', message: '合計が多すぎます' }]);
    const empty = await checkSheet(new CountRules(), { path: csv('empty.csv', ['管理番号,件数', ',']) });
    expect(empty.warnings).toEqual([{ row: 1, column: '', code: 'no_rows', message: '見出し行（1行目）の下にデータの行がありません' }]);
  });

  it('rejects a sheet without its header as a whole-file error, told the kind’s way', async () => {
    const path = csv('nohead.csv', ['code,amount', 'A-1,1']);
    await expect(checkSheet(new CountRules(), { path })).rejects.toMatchObject({ code: 'header_not_found' });
    const rules = Object.assign(new CountRules(), {
      headerError: (error: SheetFormatError, scanned: readonly SheetRow[]) => new SheetFormatError(error.code, `${error.messageJa}（${scanned.length}行を見ました）`),
    });
    await expect(checkSheet(rules, { path })).rejects.toMatchObject({ messageJa: expect.stringContaining('（2行を見ました）') });
  });

  it('stops when the checkpoint throws (the client went away)', async () => {
    const lines = ['管理番号,件数'];
    for (let n = 1; n <= 2000; n++) lines.push(`C-${n},1`);
    const controller = new AbortController();
    controller.abort();
    const budget = new WorkBudget(0, controller.signal);
    await expect(checkSheet(new CountRules(), { path: csv('stop.csv', lines), checkpoint: budget.checkpoint })).rejects.toMatchObject({ code: 'client_closed' });
  });
});

describe('runSheetImport', () => {
  const MANAGER = { tag: 'transaction' } as unknown as EntityManager;

  function fakePorts() {
    const calls: string[] = [];
    const ports: SheetImportPorts = {
      transactions: {
        run: async (work) => {
          calls.push('begin');
          const result = await work(MANAGER);
          calls.push('commit');
          return result;
        },
      },
      audit: {
        record: async (_actor, action, detail, manager) => {
          calls.push(`audit ${action} applied=${String(detail.applied)}${manager ? ' in transaction' : ''}`);
        },
      },
    };
    return { calls, ports };
  }

  function kind(rules: CountRules, calls: string[]): SheetImportKind<Counted, { total: number }> {
    return {
      rules,
      plan: (_sheet: CheckedSheet, manager?: EntityManager) => {
        calls.push(manager ? 'plan in transaction' : 'plan');
        return { total: rules.accepted.reduce((sum, entry) => sum + entry.count, 0) };
      },
      apply: async (plan, manager) => {
        calls.push(`apply ${plan.total}${manager === MANAGER ? ' in transaction' : ''}`);
      },
      audit: { action: 'count_import', detail: (applied, plan) => ({ applied, total: plan.total }) },
    };
  }

  it('applies a clean sheet in one transaction: plan, writes, then the audit entry', async () => {
    const { calls, ports } = fakePorts();
    const outcome = await runSheetImport(kind(new CountRules(), calls), { path: csv('clean.csv', ['管理番号,件数', 'A-1,2', 'A-2,3']), actor: ACTOR, dryRun: false }, ports);
    expect(outcome).toMatchObject({ applied: true, plan: { total: 5 }, sheet: { rows: 2, errorCount: 0 } });
    expect(calls).toEqual(['begin', 'plan in transaction', 'apply 5 in transaction', 'audit count_import applied=true in transaction', 'commit']);
  });

  it('writes nothing for a dry run or a sheet with any row error, and still records the attempt', async () => {
    for (const [name, lines, dryRun] of [
      ['dry.csv', ['管理番号,件数', 'A-1,2'], true],
      ['bad.csv', ['管理番号,件数', 'A-1,2', 'A-2,x'], false],
    ] as const) {
      const { calls, ports } = fakePorts();
      const outcome = await runSheetImport(kind(new CountRules(), calls), { path: csv(name, [...lines]), actor: ACTOR, dryRun }, ports);
      expect(outcome).toMatchObject({ applied: false, plan: { total: 2 } });
      expect(calls).toEqual(['plan', 'audit count_import applied=false']);
    }
  });

  it('checks the budget before it writes: a client gone after the checks writes nothing', async () => {
    const { calls, ports } = fakePorts();
    const controller = new AbortController();
    // the client goes away once every row is checked, before anything is written
    const budget = new WorkBudget(0, controller.signal);
    const rules = new CountRules();
    const original = rules.checkSheet.bind(rules);
    rules.checkSheet = (sheet) => {
      original(sheet);
      controller.abort();
    };
    const error = await runSheetImport(kind(rules, calls), { path: csv('gone.csv', ['管理番号,件数', 'A-1,2']), actor: ACTOR, dryRun: false, budget }, ports).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'client_closed' });
    expect(calls).toEqual([]);
  });

  it('turns a whole-file problem into the error both faces report (422; too large: 413)', async () => {
    const { calls, ports } = fakePorts();
    const error = await runSheetImport(kind(new CountRules(), calls), { path: csv('nohead2.csv', ['a,b']), actor: ACTOR, dryRun: false }, ports).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'header_not_found', status: 422 });
    expect(calls).toEqual([]);
    expect(fileError(new SheetFormatError('file_too_large'))).toMatchObject({ code: 'file_too_large', status: 413 });
  });
});
