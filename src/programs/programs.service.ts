import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../common/actor';
import { Clock, CLOCK } from '../common/clock';
import { DomainError, FieldProblem } from '../common/domain-error';
import { Transactions } from '../database/transactions';
import { allPrograms, readBuiltinDocuments, setPrograms } from './program-definitions';
import { checkProgramUpdate, ProgramDocument, ProgramProblem, ProgramUsage, toDefinition, validateProgramDocument } from './program-document';
import { ProgramRecord } from './program.entity';
import { fieldUsageSql } from './program-storage';
import { ProgramView, toProgramView } from './program-view';

export interface ProgramChangeResult {
  applied: boolean;
  dryRun: boolean;
  created: boolean;
  program: ProgramView;
}

export interface ProgramListEntry extends ProgramView {
  builtin: boolean;
}

export function invalidProgram(problems: ProgramProblem[]): DomainError {
  return new DomainError('invalid_program', `取組の定義に問題が${problems.length}件あります: ${problems.map((problem) => problem.message).join('／')}`, 400, problems as unknown as FieldProblem[]);
}

// Program definitions in the database: the built-in documents are inserted on start when missing
// (insert-only, like the other seeds), every stored document is validated and loaded into the
// registry, and add/update follow the update rules of CONTRACT.md, all-or-nothing.
@Injectable()
export class ProgramsService implements OnModuleInit {
  private readonly logger = new Logger('Programs');

  constructor(
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.load();
  }

  /** Inserts missing built-in programs, then loads every stored definition into the registry. */
  async load(): Promise<void> {
    // built-ins go in by their `order`, so a fresh database lists them as the files intend
    const builtins = readBuiltinDocuments().sort((a, b) => (a.order ?? Infinity) - (b.order ?? Infinity));
    const nowIso = this.clock.now().toISOString();
    // Look before taking a write transaction: a CLI process starting beside a busy server (backup,
    // export) must not queue for the write lock when every built-in is already stored.
    const present = await this.transactions.dataSource.getRepository(ProgramRecord).find({ select: { key: true } });
    const presentKeys = new Set(present.map((row) => row.key));
    if (builtins.some((document) => !presentKeys.has(document.key))) await this.transactions.run(async (manager) => {
      const stored = await manager.getRepository(ProgramRecord).find({ select: { key: true, position: true } });
      const known = new Set(stored.map((row) => row.key));
      let position = stored.reduce((max, row) => Math.max(max, row.position), 0);
      for (const document of builtins) {
        if (known.has(document.key)) continue;
        // orIgnore: a second process starting at the same moment may have inserted it already
        await manager
          .createQueryBuilder()
          .insert()
          .into(ProgramRecord)
          .values({ key: document.key, position: ++position, document: JSON.stringify(document), builtin: true, createdAt: nowIso, updatedAt: nowIso })
          .orIgnore()
          .execute();
        this.logger.log(`built-in program added: ${document.key}`);
      }
    });
    await this.refresh();
  }

  /** Reads every stored definition into the registry (a broken one stops the start: say which). */
  async refresh(manager: EntityManager = this.transactions.dataSource.manager): Promise<void> {
    const rows = await manager.getRepository(ProgramRecord).find({ order: { position: 'ASC' } });
    setPrograms(rows.map((row) => toDefinition(this.parseStored(row))));
  }

  async list(): Promise<ProgramListEntry[]> {
    const rows = await this.transactions.dataSource.getRepository(ProgramRecord).find({ order: { position: 'ASC' } });
    const builtin = new Map(rows.map((row) => [row.key, row.builtin]));
    await this.refresh();
    return allPrograms().map((definition) => ({ ...toProgramView(definition), builtin: Boolean(builtin.get(definition.key)) }));
  }

  /** The stored document of a program, as an administrator would edit and PUT it back. */
  async document(key: string): Promise<ProgramDocument> {
    const row = await this.transactions.dataSource.getRepository(ProgramRecord).findOne({ where: { key } });
    if (!row) throw unknownProgram(key);
    return this.parseStored(row);
  }

  async add(input: unknown, actor: Actor, options: { dryRun: boolean }): Promise<ProgramChangeResult> {
    const document = validOrThrow(input);
    const nowIso = this.clock.now().toISOString();
    const result = await this.transactions.run(async (manager) => {
      const repository = manager.getRepository(ProgramRecord);
      const rows = await repository.find();
      if (rows.some((row) => row.key === document.key)) {
        throw new DomainError('program_exists', `取組「${document.key}」は既にあります（変更は program update / PUT で）`, 409);
      }
      const clash = labelClash(document, rows);
      if (clash) throw invalidProgram([clash]);
      if (options.dryRun) return null;
      const position = rows.reduce((max, row) => Math.max(max, row.position), 0) + 1;
      await repository.insert({ key: document.key, position, document: JSON.stringify(document), builtin: false, createdAt: nowIso, updatedAt: nowIso });
      await this.audit.record(actor, 'program_created', { key: document.key, label: document.label }, manager);
      return true;
    });
    if (result) await this.refresh();
    return { applied: Boolean(result), dryRun: options.dryRun, created: true, program: toProgramView(toDefinition(document)) };
  }

  async update(key: string, input: unknown, actor: Actor, options: { dryRun: boolean }): Promise<ProgramChangeResult> {
    const document = validOrThrow(input);
    const nowIso = this.clock.now().toISOString();
    const applied = await this.transactions.run(async (manager) => {
      const repository = manager.getRepository(ProgramRecord);
      const rows = await repository.find();
      const row = rows.find((candidate) => candidate.key === key);
      if (!row) throw unknownProgram(key);
      const current = this.parseStored(row);
      const problems = checkProgramUpdate(current, document, await this.usage(manager, current));
      const clash = labelClash(document, rows, key);
      if (clash) problems.push(clash);
      if (problems.length) throw invalidProgram(problems);
      if (options.dryRun) return false;
      await repository.update({ key }, { document: JSON.stringify(document), updatedAt: nowIso });
      await this.audit.record(actor, 'program_updated', { key, label: document.label }, manager);
      return true;
    });
    if (applied) await this.refresh();
    return { applied, dryRun: options.dryRun, created: false, program: toProgramView(toDefinition(document)) };
  }

  /** Which states, fields and choices the stored items of a program use. */
  private async usage(manager: EntityManager, document: ProgramDocument): Promise<ProgramUsage> {
    const p = this.transactions.isSqlite ? () => '?' : (index: number) => `$${index}`;
    const states = new Set<string>();
    const current: { state: string }[] = await manager.query(`SELECT DISTINCT status AS state FROM items WHERE program = ${p(1)}`, [document.key]);
    const past: { state: string | null }[] = await manager.query(
      `SELECT DISTINCT h.to_status AS state FROM status_history h JOIN items i ON i.id = h.item_id WHERE i.program = ${p(1)}
       UNION SELECT DISTINCT h.from_status AS state FROM status_history h JOIN items i ON i.id = h.item_id WHERE i.program = ${p(2)}`,
      [document.key, document.key],
    );
    for (const row of [...current, ...past]) if (row.state) states.add(row.state);
    const fields = new Set<string>();
    const choices = new Map<string, Set<string>>();
    for (const field of document.fields) {
      const sql = fieldUsageSql(field.key, this.transactions.isSqlite);
      if (!sql) continue;
      const values: { value: unknown }[] = await manager.query(`SELECT DISTINCT ${sql} AS value FROM items WHERE program = ${p(1)} AND ${sql} IS NOT NULL`, [document.key]);
      if (values.length) fields.add(field.key);
      if (field.kind === 'choice') choices.set(field.key, new Set(values.map((row) => String(row.value))));
    }
    return { states, fields, choices };
  }

  private parseStored(row: ProgramRecord): ProgramDocument {
    const result = validateProgramDocument(JSON.parse(row.document));
    if ('problems' in result) {
      throw new Error(`stored program ${row.key} is invalid: ${result.problems.map((problem) => `${problem.entry}: ${problem.message}`).join('; ')}`);
    }
    return result.document;
  }
}

function validOrThrow(input: unknown): ProgramDocument {
  const result = validateProgramDocument(input);
  if ('problems' in result) throw invalidProgram(result.problems);
  return result.document;
}

function unknownProgram(key: string): DomainError {
  return new DomainError('unknown_program', `取組「${key}」はありません`, 404);
}

/** Imports and the CLI accept a program's label for its key, so labels are unique too. */
function labelClash(document: ProgramDocument, rows: readonly ProgramRecord[], ownKey = document.key): ProgramProblem | null {
  for (const row of rows) {
    if (row.key === ownKey) continue;
    const other = JSON.parse(row.document) as ProgramDocument;
    if (other.label.normalize('NFKC').trim() === document.label.normalize('NFKC').trim() || other.key === document.label) {
      return { entry: 'label', code: 'duplicate_label', message: `取組の名称「${document.label}」は取組「${row.key}」と重複しています` };
    }
  }
  return null;
}
