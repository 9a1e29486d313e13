import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import JSZip from 'jszip';
import { EntityManager, In, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { formatWarekiDate, parseJapaneseDate } from '../calendar';
import { Actor, SYSTEM_ACTOR } from '../common/actor';
import { Clock, CLOCK } from '../common/clock';
import { DomainError, forbidden, notFound } from '../common/domain-error';
import { SurveyAnswers, SurveyAnswerScope, SurveyStatusLine, SurveyStatusSource } from '../common/survey-answers';
import { Transactions } from '../database/transactions';
import type { OpenRequestsSource } from '../reminders/reminders.service';
import { ItemsService } from '../items/items.service';
import { Department } from '../organization/department.entity';
import { Division } from '../organization/division.entity';
import { OrganizationService } from '../organization/organization.service';
import { getProgram, isProgramKey, programFields } from '../programs/program-definitions';
import { ProgramKey } from '../programs/program.types';
import { normalizeMatchValue } from '../sheets/normalize';
import { buildSurveySheet, SheetValue } from './survey-sheet';
import { SurveyDivision, SurveyEvent, SurveyRound } from './survey.entities';
import { isLate, nextSurveyStatus, SURVEY_ID_PATTERN, SURVEY_STATUS_LABELS, SurveyStatus } from './survey-rules';

export interface OpenSurveyBody {
  id?: string;
  title?: string;
  program?: string;
  dueOn?: string;
  departments?: string[];
}

export interface SurveyEventView {
  action: string;
  at: string;
  by: string;
  reason: string | null;
  rows: number | null;
}

export interface SurveyDivisionView {
  division: { code: string; name: string };
  department: { code: string; name: string };
  status: SurveyStatus;
  statusLabel: string;
  late: boolean;
  /** The division's items of the program when the round was opened. */
  items: number;
  answeredAt: string | null;
  answeredBy: string | null;
  /** Rows of the last answer: the sheet's data rows, 0 for "no change"; null before an answer. */
  rows: number | null;
  answerKind: 'sheet' | 'no_change' | null;
  returnReason: string | null;
  history: SurveyEventView[];
}

export interface SurveyView {
  id: string;
  title: string;
  program: string;
  programLabel: string;
  dueOn: string;
  dueOnLabel: string;
  departments: string[] | null;
  createdAt: string;
  createdBy: string;
  counts: Record<SurveyStatus | 'late', number>;
  divisions: SurveyDivisionView[];
}

export interface SheetFile {
  fileName: string;
  asciiName: string;
  contentType: string;
  buffer: Buffer;
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const TITLE_MAX = 200;
const REASON_MAX = 2000;
const PAGE = 500;

const safeFileName = (text: string) => text.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_');

interface DivisionPlace {
  id: number;
  code: string;
  name: string;
  departmentId: number;
  departmentCode: string;
  departmentName: string;
}

// 照会 rounds: the office opens one per program; each division that owns items of the program
// answers (its sheet through the normal import, or "no change"); the office confirms or returns.
@Injectable()
export class SurveysService implements SurveyAnswers, SurveyStatusSource, OpenRequestsSource {
  constructor(
    @InjectRepository(SurveyRound) private readonly rounds: Repository<SurveyRound>,
    @InjectRepository(SurveyDivision) private readonly answers: Repository<SurveyDivision>,
    @InjectRepository(SurveyEvent) private readonly events: Repository<SurveyEvent>,
    @InjectRepository(Division) private readonly divisions: Repository<Division>,
    @InjectRepository(Department) private readonly departments: Repository<Department>,
    private readonly organization: OrganizationService,
    private readonly items: ItemsService,
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  // --- opening ---------------------------------------------------------------------------------

  async open(body: OpenSurveyBody, actor: Actor): Promise<SurveyView> {
    const id = typeof body.id === 'string' ? body.id.normalize('NFKC').trim() : '';
    if (!SURVEY_ID_PATTERN.test(id)) {
      throw new DomainError('invalid_survey_id', `照会のID「${body.id ?? ''}」は使えません（英数字で始まり、英数字と . _ - で64文字まで）`);
    }
    const title = typeof body.title === 'string' ? body.title.trim() : '';
    if (!title) throw new DomainError('title_required', '照会の件名（title）を入力してください');
    if (title.length > TITLE_MAX) throw new DomainError('too_long', `件名は${TITLE_MAX}文字以内で入力してください`);
    const programValue = typeof body.program === 'string' ? normalizeMatchValue(body.program) : '';
    if (!isProgramKey(programValue)) throw new DomainError('unknown_program', `取組「${body.program ?? ''}」はありません（online / seal / analog）`);
    const program: ProgramKey = programValue;
    const dueOn = typeof body.dueOn === 'string' ? parseJapaneseDate(body.dueOn) : null;
    if (!dueOn) throw new DomainError('invalid_date', `回答期限（dueOn）「${body.dueOn ?? ''}」は日付として読めません（例: 2026-12-10、令和8年12月10日）`);
    const today = this.clock.today();
    if (dueOn < today) throw new DomainError('due_in_past', `回答期限 ${formatWarekiDate(dueOn)} は今日（${formatWarekiDate(today)}）より前です`);
    let departmentIds: Set<number> | null = null;
    let departmentCodes: string[] | null = null;
    if (body.departments !== undefined) {
      if (!Array.isArray(body.departments) || !body.departments.length || body.departments.some((value) => typeof value !== 'string')) {
        throw new DomainError('invalid_departments', 'departments は部局のコードか名前の一覧で指定してください（省略するとすべての部局）');
      }
      const found = [];
      for (const value of body.departments) found.push(await this.organization.resolveDepartment(value, today));
      departmentIds = new Set(found.map((department) => department.id));
      departmentCodes = [...new Set(found.map((department) => department.code))];
    }

    const owners: { division_id: number | string; n: number | string }[] = await this.rounds.manager.query(
      this.rounds.manager.connection.options.type === 'postgres'
        ? 'SELECT division_id, COUNT(*) AS n FROM items WHERE program = $1 GROUP BY division_id'
        : 'SELECT division_id, COUNT(*) AS n FROM items WHERE program = ? GROUP BY division_id',
      [program],
    );
    const places = await this.places();
    const inScope = owners
      .map((row) => ({ place: places.get(Number(row.division_id))!, items: Number(row.n) }))
      .filter((row) => row.place && (!departmentIds || departmentIds.has(row.place.departmentId)));
    if (!inScope.length) {
      throw new DomainError('survey_no_divisions', `${getProgram(program).label}の項目を持つ課が${departmentCodes ? '指定の部局に' : ''}ありません。照会する相手がいません`);
    }
    const nowIso = this.clock.now().toISOString();
    await this.transactions.run(async (manager) => {
      if (await manager.getRepository(SurveyRound).exists({ where: { id } })) throw new DomainError('survey_exists', `照会「${id}」は既にあります`, 409);
      await manager.getRepository(SurveyRound).insert({ id, title, program, dueOn, departments: departmentCodes ? JSON.stringify(departmentCodes) : null, createdAt: nowIso, createdBy: actor.name });
      const rows = inScope.map(({ place, items }) => ({ surveyId: id, divisionId: place.id, status: 'waiting', items, answeredAt: null, answeredBy: null, rows: null, answerKind: null, returnReason: null, updatedAt: nowIso }));
      for (let offset = 0; offset < rows.length; offset += 200) await manager.getRepository(SurveyDivision).insert(rows.slice(offset, offset + 200));
      await this.audit.record(actor, 'survey_opened', { survey: id, title, program, dueOn, departments: departmentCodes, divisions: rows.length }, manager);
    });
    return this.get(id);
  }

  // --- reading ---------------------------------------------------------------------------------

  async list(actor: Actor): Promise<{ surveys: SurveyView[] }> {
    const rounds = await this.rounds.find({ order: { createdAt: 'DESC', id: 'ASC' } });
    // an editor's list is its requests: the rounds and divisions of its own department
    const own = actor.role === 'editor';
    const views = await this.views(rounds, own ? actor : SYSTEM_ACTOR);
    return { surveys: views.filter((view) => !own || view.divisions.length > 0) };
  }

  /** Every division's answer: every role may read every item, so the answers too. */
  async get(id: string): Promise<SurveyView> {
    const round = await this.round(id);
    const [view] = await this.views([round], SYSTEM_ACTOR);
    return view;
  }

  private async round(id: string, manager?: EntityManager): Promise<SurveyRound> {
    const round = await (manager ?? this.rounds.manager).getRepository(SurveyRound).findOne({ where: { id } });
    if (!round) throw notFound('照会', id);
    return round;
  }

  /** Divisions by id with their current department. */
  private async places(): Promise<Map<number, DivisionPlace>> {
    const [divisions, departments] = await Promise.all([this.divisions.find(), this.departments.find()]);
    const departmentById = new Map(departments.map((row) => [row.id, row]));
    return new Map(
      divisions.map((division) => {
        const department = departmentById.get(division.departmentId)!;
        return [division.id, { id: division.id, code: division.code, name: division.name, departmentId: division.departmentId, departmentCode: department.code, departmentName: department.name }];
      }),
    );
  }

  /** Whose divisions a list shows: an editor's own department's (its requests); everyone else every division. */
  private visible(actor: Actor, place: DivisionPlace): boolean {
    return actor.role !== 'editor' || actor.departmentId === place.departmentId;
  }

  private async views(rounds: SurveyRound[], actor: Actor, today = this.clock.today()): Promise<SurveyView[]> {
    if (!rounds.length) return [];
    const ids = rounds.map((round) => round.id);
    const [answers, events, places] = await Promise.all([
      this.answers.find({ where: { surveyId: In(ids) } }),
      this.events.find({ where: { surveyId: In(ids) }, order: { id: 'ASC' } }),
      this.places(),
    ]);
    return rounds.map((round) => {
      const divisions = answers
        .filter((answer) => answer.surveyId === round.id)
        .map((answer) => ({ answer, place: places.get(answer.divisionId)! }))
        .filter(({ place }) => place && this.visible(actor, place))
        .sort((a, b) => a.place.departmentCode.localeCompare(b.place.departmentCode) || a.place.code.localeCompare(b.place.code))
        .map(({ answer, place }) => this.divisionView(round, answer, place, events, today));
      const counts = { waiting: 0, answered: 0, returned: 0, confirmed: 0, late: 0 };
      for (const division of divisions) {
        counts[division.status]++;
        if (division.late) counts.late++;
      }
      return {
        id: round.id,
        title: round.title,
        program: round.program,
        programLabel: getProgram(round.program as ProgramKey).label,
        dueOn: round.dueOn,
        dueOnLabel: formatWarekiDate(round.dueOn),
        departments: round.departments ? (JSON.parse(round.departments) as string[]) : null,
        createdAt: round.createdAt,
        createdBy: round.createdBy,
        counts,
        divisions,
      };
    });
  }

  private divisionView(round: SurveyRound, answer: SurveyDivision, place: DivisionPlace, events: SurveyEvent[], today: string): SurveyDivisionView {
    const status = answer.status as SurveyStatus;
    return {
      division: { code: place.code, name: place.name },
      department: { code: place.departmentCode, name: place.departmentName },
      status,
      statusLabel: SURVEY_STATUS_LABELS[status],
      late: isLate(status, round.dueOn, today),
      items: Number(answer.items),
      answeredAt: answer.answeredAt,
      answeredBy: answer.answeredBy,
      rows: answer.rows === null ? null : Number(answer.rows),
      answerKind: answer.answerKind as SurveyDivisionView['answerKind'],
      returnReason: answer.returnReason,
      history: events
        .filter((event) => event.surveyId === round.id && event.divisionId === answer.divisionId)
        .map((event) => ({ action: event.action, at: event.at, by: event.by, reason: event.reason, rows: event.rows === null ? null : Number(event.rows) })),
    };
  }

  /** The round's row for a division given by code or name, with its place. */
  private async answerOf(round: SurveyRound, divisionValue: string, manager?: EntityManager): Promise<{ answer: SurveyDivision; place: DivisionPlace }> {
    const wanted = normalizeMatchValue(divisionValue);
    const places = await this.places();
    const place = [...places.values()].find((candidate) => candidate.code.toLowerCase() === wanted.toLowerCase()) ?? [...places.values()].find((candidate) => normalizeMatchValue(candidate.name) === wanted);
    if (!place) throw new DomainError('unknown_division', `所管課「${divisionValue}」が見つかりません（課の名前またはコード）`, 404);
    const answer = await (manager ?? this.rounds.manager).getRepository(SurveyDivision).findOne({ where: { surveyId: round.id, divisionId: place.id } });
    if (!answer) throw new DomainError('survey_division_not_in_round', `「${place.name}」は照会「${round.title}」の回答先ではありません`, 404);
    return { answer, place };
  }

  // --- sheets ----------------------------------------------------------------------------------

  async divisionSheet(id: string, divisionCode: string, actor: Actor): Promise<SheetFile> {
    const round = await this.round(id);
    // readable by every role, like the items in it (the list and export APIs)
    const { place } = await this.answerOf(round, divisionCode);
    const buffer = await this.sheetBuffer(round, place);
    await this.audit.record(actor, 'export', { kind: 'survey-sheet', survey: round.id, division: place.code });
    return {
      fileName: `${safeFileName(round.title)}_${safeFileName(place.name)}.xlsx`,
      asciiName: `survey-${round.id}-${place.code}.xlsx`,
      contentType: XLSX,
      buffer,
    };
  }

  async sheetsZip(id: string, actor: Actor): Promise<SheetFile> {
    const round = await this.round(id);
    const places = await this.places();
    const answers = await this.answers.find({ where: { surveyId: round.id } });
    const zip = new JSZip();
    const included: string[] = [];
    for (const answer of answers) {
      const place = places.get(answer.divisionId);
      if (!place) continue;
      zip.file(`${place.code}_${safeFileName(place.name)}.xlsx`, await this.sheetBuffer(round, place));
      included.push(place.code);
    }
    await this.audit.record(actor, 'export', { kind: 'survey-sheets', survey: round.id, divisions: included.length });
    return {
      fileName: `${safeFileName(round.title)}_照会シート.zip`,
      asciiName: `survey-${round.id}-sheets.zip`,
      contentType: 'application/zip',
      buffer: await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', platform: 'DOS' }),
    };
  }

  private async sheetBuffer(round: SurveyRound, place: DivisionPlace): Promise<Buffer> {
    const program = round.program as ProgramKey;
    const index = await this.organization.currentDivisions();
    // 所管課 as the importer finds it again: the name, or the code when two divisions share the name
    const label = index.find(normalizeMatchValue(place.name))?.id === place.id ? place.name : place.code;
    const fields = programFields(program);
    const items: Record<string, SheetValue>[] = [];
    for (let page = 1; ; page++) {
      const result = await this.items.list(program, { division: place.code, page, pageSize: PAGE });
      for (const view of result.items) {
        const row: Record<string, SheetValue> = {};
        for (const field of fields) row[field.key] = (view[field.key] as SheetValue | undefined) ?? null;
        row.division = label;
        items.push(row);
      }
      if (result.items.length < PAGE) break;
    }
    const workbook = buildSurveySheet({
      program,
      title: round.title,
      dueOn: round.dueOn,
      divisionName: place.name,
      divisionNames: index.divisions.map((division) => division.name),
      items,
    });
    return Buffer.from(await workbook.xlsx.writeBuffer());
  }

  // --- answers, confirmation, return -----------------------------------------------------------

  async answerNoChange(id: string, divisionCode: string, body: { noChange?: unknown }, actor: Actor): Promise<SurveyView> {
    if (body.noChange !== true) {
      throw new DomainError('no_change_required', '変更がない回答は { "noChange": true } で送ってください。変更がある場合はシートを取り込んでください（?survey=照会ID）');
    }
    const round = await this.round(id);
    await this.transactions.run(async (manager) => {
      const { answer, place } = await this.answerOf(round, divisionCode, manager);
      this.assertMayAnswer(actor, place);
      await this.recordAnswer(manager, round, answer, place, actor, 0, 'no_change');
    });
    return this.get(id);
  }

  async confirm(id: string, divisionCode: string, actor: Actor): Promise<SurveyView> {
    return this.settle(id, divisionCode, actor, 'confirm', null);
  }

  async returnAnswer(id: string, divisionCode: string, reason: unknown, actor: Actor): Promise<SurveyView> {
    const text = typeof reason === 'string' ? reason.trim() : '';
    if (!text) throw new DomainError('reason_required', '差戻しには理由（reason）が必要です');
    if (text.length > REASON_MAX) throw new DomainError('too_long', `理由は${REASON_MAX}文字以内で入力してください`);
    return this.settle(id, divisionCode, actor, 'return', text);
  }

  private async settle(id: string, divisionCode: string, actor: Actor, action: 'confirm' | 'return', reason: string | null): Promise<SurveyView> {
    const round = await this.round(id);
    await this.transactions.run(async (manager) => {
      const { answer, place } = await this.answerOf(round, divisionCode, manager);
      const status = nextSurveyStatus(answer.status as SurveyStatus, action, place.name);
      const nowIso = this.clock.now().toISOString();
      await manager.getRepository(SurveyDivision).update({ id: answer.id }, { status, returnReason: action === 'return' ? reason : answer.returnReason, updatedAt: nowIso });
      await manager.getRepository(SurveyEvent).insert({ surveyId: round.id, divisionId: place.id, action: action === 'confirm' ? 'confirmed' : 'returned', at: nowIso, by: actor.name, reason, rows: null });
      await this.audit.record(actor, action === 'confirm' ? 'survey_confirmed' : 'survey_returned', { survey: round.id, division: place.code, ...(reason ? { reason } : {}) }, manager);
    });
    return this.get(id);
  }

  private assertMayAnswer(actor: Actor, place: DivisionPlace): void {
    if (actor.role === 'admin') return;
    if (actor.role !== 'editor' || actor.departmentId !== place.departmentId) {
      throw forbidden(`「${place.name}」は所属部局の課ではないため回答できません`);
    }
  }

  private async recordAnswer(manager: EntityManager, round: SurveyRound, answer: SurveyDivision, place: DivisionPlace, actor: Actor, rows: number, kind: 'sheet' | 'no_change'): Promise<void> {
    const status = nextSurveyStatus(answer.status as SurveyStatus, 'answer', place.name);
    const nowIso = this.clock.now().toISOString();
    await manager.getRepository(SurveyDivision).update({ id: answer.id }, { status, answeredAt: nowIso, answeredBy: actor.name, rows, answerKind: kind, updatedAt: nowIso });
    await manager.getRepository(SurveyEvent).insert({ surveyId: round.id, divisionId: place.id, action: 'answered', at: nowIso, by: actor.name, reason: kind === 'no_change' ? '変更なし' : null, rows });
    await this.audit.record(actor, 'survey_answered', { survey: round.id, division: place.code, kind, rows }, manager);
  }

  // --- the import's side (SurveyAnswers) -------------------------------------------------------

  async answerScope(surveyId: string, program: string, actor: Actor, division?: string): Promise<SurveyAnswerScope> {
    const round = await this.round(surveyId.normalize('NFKC').trim());
    if (round.program !== program) {
      throw new DomainError('survey_program_mismatch', `照会「${round.title}」は${getProgram(round.program as ProgramKey).label}の照会です。${getProgram(round.program as ProgramKey).label}として取り込んでください`);
    }
    if (division !== undefined) {
      const { answer, place } = await this.answerOf(round, division);
      this.assertMayAnswer(actor, place);
      nextSurveyStatus(answer.status as SurveyStatus, 'answer', place.name);
      return { surveyId: round.id, divisionIds: new Set([place.id]), divisionId: place.id };
    }
    const places = await this.places();
    const answers = await this.answers.find({ where: { surveyId: round.id } });
    const mine = answers.filter((answer) => {
      const place = places.get(answer.divisionId);
      return place && (actor.role === 'admin' || (actor.role === 'editor' && actor.departmentId === place.departmentId));
    });
    if (!mine.length) throw forbidden(`照会「${round.title}」に所属部局の課はありません`);
    return { surveyId: round.id, divisionIds: new Set(mine.filter((answer) => answer.status !== 'confirmed').map((answer) => answer.divisionId)) };
  }

  async recordSheetAnswer(manager: EntityManager, surveyId: string, divisionId: number, actor: Actor, rows: number): Promise<void> {
    const round = await this.round(surveyId, manager);
    const answer = await manager.getRepository(SurveyDivision).findOne({ where: { surveyId, divisionId } });
    const place = (await this.places()).get(divisionId);
    if (!answer || !place) throw new DomainError('survey_division_not_in_round', '回答した課はこの照会の回答先ではありません', 404);
    await this.recordAnswer(manager, round, answer, place, actor, rows, 'sheet');
  }

  // --- the reminder mail's side ----------------------------------------------------------------

  /** Each division's open requests on `asOf` (waiting or returned), by division code, earliest due first. */
  async openRequests(asOf: string): Promise<Map<string, { title: string; dueOn: string; state?: string }[]>> {
    const result = new Map<string, { title: string; dueOn: string; state?: string }[]>();
    for (const line of await this.statusLines(asOf)) {
      if (line.status !== 'waiting' && line.status !== 'returned') continue;
      const state = [line.status === 'returned' ? '差戻し' : null, line.late ? '期限超過' : null].filter(Boolean).join('・');
      const list = result.get(line.divisionCode) ?? [];
      list.push({ title: line.title, dueOn: line.dueOn, ...(state ? { state } : {}) });
      result.set(line.divisionCode, list);
    }
    for (const list of result.values()) list.sort((a, b) => a.dueOn.localeCompare(b.dueOn));
    return result;
  }

  // --- the compliance workbook's side (SurveyStatusSource) -------------------------------------

  async statusLines(today: string): Promise<SurveyStatusLine[]> {
    const rounds = await this.rounds.find({ order: { createdAt: 'ASC', id: 'ASC' } });
    const views = await this.views(rounds, SYSTEM_ACTOR, today);
    return views.flatMap((view) =>
      view.divisions.map((division) => ({
        surveyId: view.id,
        title: view.title,
        program: view.program,
        dueOn: view.dueOn,
        departmentCode: division.department.code,
        department: division.department.name,
        divisionCode: division.division.code,
        division: division.division.name,
        status: division.status,
        answeredAt: division.answeredAt,
        answeredBy: division.answeredBy,
        rows: division.rows,
        late: division.late,
      })),
    );
  }
}
