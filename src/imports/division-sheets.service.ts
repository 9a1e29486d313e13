import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../common/actor';
import { DomainError, forbidden } from '../common/domain-error';
import { ItemsService } from '../items/items.service';
import { OrganizationService } from '../organization/organization.service';
import { getProgram, programFields } from '../programs/program-definitions';
import { ProgramKey } from '../programs/program.types';
import { ExportItem } from '../items/item-sheet';
import { normalizeMatchValue } from '../sheets/normalize';
import { buildDivisionSheet } from './division-sheet';
import { buildImportTemplate } from './import-template';

export interface SheetDownload {
  fileName: string;
  asciiName: string;
  buffer: Buffer;
}

const PAGE = 500;

@Injectable()
export class DivisionSheetsService {
  constructor(
    private readonly items: ItemsService,
    private readonly organization: OrganizationService,
    private readonly audit: AuditService,
  ) {}

  /** The empty import sheet (as `template` on the command line). */
  async template(program: ProgramKey): Promise<SheetDownload> {
    const index = await this.organization.currentDivisions();
    const workbook = buildImportTemplate(program, index.divisions.map((division) => division.name));
    const label = getProgram(program).label;
    return { fileName: `${label}_テンプレート.xlsx`, asciiName: `${program}-template.xlsx`, buffer: Buffer.from(await workbook.xlsx.writeBuffer()) };
  }

  /** A division's own sheet: the template with its items. Editors: their own department's divisions. */
  async divisionSheet(program: ProgramKey, divisionValue: string | undefined, actor: Actor): Promise<SheetDownload> {
    if (!divisionValue) throw new DomainError('missing_parameter', '所管課（division）を指定してください（課の名前またはコード）');
    const index = await this.organization.currentDivisions();
    const division = await this.organization.resolveDivision(divisionValue);
    if (actor.role === 'editor' && actor.departmentId !== division.departmentId) {
      throw new DomainError('forbidden_division', `所管課「${division.name}」は所属部局の課ではないため書き出せません`, 403);
    }
    if (actor.role !== 'admin' && actor.role !== 'editor' && actor.role !== 'viewer') throw forbidden();
    // 所管課 as the importer finds it again: the name, or the code when two divisions share it
    const label = index.find(normalizeMatchValue(division.name))?.id === division.id ? division.name : division.code;
    const fields = programFields(program);
    const rows: ExportItem[] = [];
    for (let page = 1; ; page++) {
      const result = await this.items.list(program, { division: division.code, page, pageSize: PAGE });
      for (const view of result.items) {
        const item: ExportItem = {};
        for (const field of fields) item[field.key] = (view[field.key] as string | number | null | undefined) ?? null;
        item.division = label;
        rows.push(item);
      }
      if (result.items.length < PAGE) break;
    }
    await this.audit.record(actor, 'export', { kind: 'division-sheet', program, format: 'xlsx', filters: { division: division.name } });
    const workbook = buildDivisionSheet(
      program,
      index.divisions.map((entry) => entry.name),
      rows,
    );
    const programLabel = getProgram(program).label;
    return {
      fileName: `${programLabel}_${division.name.replace(/[\\/:*?"<>|]/g, '_')}.xlsx`,
      asciiName: `${program}-${division.code}.xlsx`,
      buffer: Buffer.from(await workbook.xlsx.writeBuffer()),
    };
  }
}
