import { DomainError } from '../common/domain-error';
import { programFields } from '../programs/program-definitions';
import { ProgramKey } from '../programs/program.types';
import { ColumnSpec, foldHeader, SheetFormatError, SheetRow } from '../sheets';

// A clerk's own headers (No. → 管理番号, 様式名 → 名称 …): a mapping from the header as written in
// their sheet to a column of the program, given with one upload. The mapped headers become extra
// aliases of those columns for that import only.

/** header as written in the sheet → the program's column (its key or its Japanese header). */
export type HeaderMapping = Record<string, string>;

export const MAX_MAPPING_ENTRIES = 50;

const invalidMapping = (message: string) => new DomainError('invalid_mapping', message);

/** Parses the `mapping` parameter (a JSON object); refuses what cannot be a mapping. */
export function parseMappingParameter(raw: string | undefined): HeaderMapping | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw invalidMapping('見出しの対応づけ（mapping）は JSON のオブジェクトで指定してください（例: {"No.":"管理番号"}）');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalidMapping('見出しの対応づけ（mapping）は JSON のオブジェクトで指定してください（例: {"No.":"管理番号"}）');
  }
  const entries = Object.entries(parsed as Record<string, unknown>);
  if (entries.length > MAX_MAPPING_ENTRIES) throw invalidMapping(`見出しの対応づけは${MAX_MAPPING_ENTRIES}件までです`);
  const mapping: HeaderMapping = {};
  for (const [header, column] of entries) {
    if (typeof column !== 'string') throw invalidMapping(`見出し「${header}」の対応先は列の名前（文字列）で指定してください`);
    if (column.trim() === '') continue;
    mapping[header] = column;
  }
  return mapping;
}

/**
 * The program's column specs with the mapping's headers as aliases. A mapping to a column the
 * program does not have, or from a header that already names another column, is refused.
 */
export function mappedColumnSpecs(program: ProgramKey, mapping: HeaderMapping | undefined, options: { codeOptional?: boolean } = {}): ColumnSpec[] {
  const fields = programFields(program);
  const specs: ColumnSpec[] = fields.map((field) => ({
    key: field.key,
    header: field.header,
    aliases: [],
    required: field.required === true && !(options.codeOptional && field.key === 'code'),
  }));
  if (!mapping) return specs;
  const ownNames = new Map<string, string>();
  for (const field of fields) {
    ownNames.set(foldHeader(field.header), field.key);
    ownNames.set(foldHeader(field.key), field.key);
  }
  const taken = new Map<string, string>();
  for (const [header, column] of Object.entries(mapping)) {
    const folded = foldHeader(header);
    if (!folded) throw invalidMapping('見出しの対応づけに空の見出しがあります');
    const target = ownNames.get(foldHeader(column));
    if (!target) throw invalidMapping(`見出し「${header}」の対応先「${column}」はこの取組の列にありません`);
    const existing = ownNames.get(folded);
    if (existing !== undefined && existing !== target) {
      throw invalidMapping(`見出し「${header}」はすでに列「${fields.find((field) => field.key === existing)!.header}」の見出しです`);
    }
    if (existing === target) continue;
    const twice = taken.get(folded);
    if (twice !== undefined && twice !== target) throw invalidMapping(`見出し「${header}」が二つの列に対応づけられています`);
    taken.set(folded, target);
    specs.find((spec) => spec.key === target)!.aliases!.push(header);
  }
  return specs;
}

/**
 * A header_not_found error with the headers the sheet does have (those of the row that came
 * closest, else of the fullest row scanned), so the page can offer to map them.
 */
export function withFoundHeaders(error: SheetFormatError, scanned: readonly SheetRow[]): SheetFormatError {
  if (error.code !== 'header_not_found') return error;
  const closest = error.detail?.closestRow;
  const texts = (row: SheetRow) => row.cells.map((cell) => (cell === null || cell instanceof Date ? '' : String(cell).trim())).filter((text) => text !== '');
  let row = scanned.find((candidate) => candidate.rowNumber === closest);
  if (!row) row = [...scanned].sort((a, b) => texts(b).length - texts(a).length)[0];
  const found = row ? texts(row) : [];
  if (!found.length) return error;
  return new SheetFormatError(
    'header_not_found',
    `${error.messageJa}。${row!.rowNumber}行目にある見出し: ${found.join('・')}（見出しを対応づけると取り込めます）`,
    { ...error.detail, foundHeaders: found, foundRow: row!.rowNumber },
  );
}

/** Codes for rows without 管理番号 (on request): PREFIX-A00001, … after the highest stored. */
export function codeSequence(prefix: string, highestStored: string | null): () => string {
  let next = 1;
  if (highestStored) {
    const tail = /(\d+)$/.exec(highestStored);
    if (tail) next = Number(tail[1]) + 1;
  }
  return () => `${prefix}${String(next++).padStart(5, '0')}`;
}

export function codePrefix(program: ProgramKey): string {
  return `${program.toUpperCase()}-A`;
}
