import { formatDeadline, isSupportedDate, parseDeadlineTerm, SUPPORTED_RANGE_LABEL } from '../calendar';
import { clip, FieldProblem, validationError } from '../common/domain-error';
import { matchChoice } from '../items/item-fields';
import { getProgram, isProgramKey, nationalGroups, programKeyList } from '../programs/program-definitions';
import { normalizeCode, normalizeMatchValue } from '../sheets/normalize';
import { Target } from './target.entity';

// What a target is (CONTRACT.md "Progress", "Programs as data"): its scope, the view every
// answer shows, and the checks of a POST/PUT body. Pure but for the department lookup passed in.

export interface TargetScope {
  nationalGroup?: string;
  /** A department code. */
  department?: string;
  codes?: string[];
  /** Choice fields of the program: field key → choice key (CONTRACT.md "Programs as data"). */
  fields?: Record<string, string>;
}

export interface TargetView {
  id: string;
  program: string;
  label: string;
  deadline: string;
  deadlineLabel: string;
  scope: TargetScope;
}

export function toTargetView(target: Target): TargetView {
  return {
    id: target.id,
    program: target.program,
    label: target.label,
    deadline: target.deadline,
    deadlineLabel: formatDeadline(target.deadline),
    scope: target.scope ? (JSON.parse(target.scope) as TargetScope) : {},
  };
}

/** A checked target body: the id folded, the deadline as a date, the scope's values as keys. */
export interface TargetFields {
  id: string;
  program: string;
  label: string;
  deadline: string;
  scope: TargetScope;
}

/**
 * Checks a target body and lists every problem at once (400 with each field). `departmentCode`
 * resolves scope.department (a code or name) to the code of a department in force, or throws.
 */
export async function readTargetBody(body: Record<string, unknown>, departmentCode: (value: string) => Promise<string>): Promise<TargetFields> {
  const problems: FieldProblem[] = [];
  const add = (field: string, value: unknown, code: string, message: string) => problems.push({ field, value: value ?? '', code, message });
  const id = typeof body.id === 'string' ? normalizeMatchValue(body.id).toLowerCase() : '';
  if (!/^[a-z0-9][a-z0-9-]{1,63}$/.test(id)) add('id', body.id, 'invalid_id', 'id は英小文字・数字・ハイフンで指定してください（例: seal-fy2026）');
  const program = body.program;
  if (!isProgramKey(program)) add('program', program, 'unknown_program', `取組（program）は ${programKeyList()} のいずれかです`);
  const label = typeof body.label === 'string' ? body.label.trim() : '';
  if (!label) add('label', body.label, 'missing_required', '名称（label）は必須です');
  const deadline = typeof body.deadline === 'string' ? parseDeadlineTerm(body.deadline) : null;
  if (!deadline) add('deadline', clip(body.deadline), 'invalid_date', `期限「${clip(body.deadline)}」は日付として読めません`);
  else if (!isSupportedDate(deadline)) add('deadline', clip(body.deadline), 'date_out_of_range', `期限「${clip(body.deadline)}」は扱える範囲（${SUPPORTED_RANGE_LABEL}）の外です`);
  const rawScope = (body.scope ?? {}) as Record<string, unknown>;
  const scope: TargetScope = {};
  if (typeof rawScope !== 'object' || Array.isArray(rawScope)) add('scope', '', 'invalid_scope', 'scope はオブジェクトで指定してください');
  if (rawScope.nationalGroup !== undefined) {
    const group = matchChoice(nationalGroups(), normalizeMatchValue(String(rawScope.nationalGroup)));
    if (!group || program !== 'online') add('scope.nationalGroup', rawScope.nationalGroup, 'invalid_choice', '国の区分はオンライン化の目標にだけ、mynumber27 / priority24 / city で指定できます');
    else scope.nationalGroup = group;
  }
  if (rawScope.fields !== undefined) {
    const rawFields = rawScope.fields as Record<string, unknown>;
    if (typeof rawFields !== 'object' || rawFields === null || Array.isArray(rawFields)) {
      add('scope.fields', '', 'invalid_scope', 'scope.fields は { "列のキー": "選択肢" } のオブジェクトで指定してください');
    } else {
      const fields: Record<string, string> = {};
      for (const [key, value] of Object.entries(rawFields)) {
        const field = isProgramKey(program) ? getProgram(program).extraFields.find((candidate) => candidate.key === key && candidate.kind === 'choice') : undefined;
        const choice = field && (typeof value === 'string' || typeof value === 'number') ? matchChoice(field.choices ?? [], normalizeMatchValue(String(value))) : undefined;
        if (!field) add(`scope.fields.${key}`, value, 'invalid_scope', `「${key}」はこの取組の選択肢の列ではありません`);
        else if (!choice) add(`scope.fields.${key}`, value, 'invalid_choice', `${field.header}「${String(value ?? '')}」は使えません（${(field.choices ?? []).map((c) => c.label).join('・')} のいずれか）`);
        else fields[key] = choice;
      }
      if (Object.keys(fields).length) scope.fields = fields;
    }
  }
  if (rawScope.department !== undefined) {
    try {
      scope.department = await departmentCode(String(rawScope.department));
    } catch (error) {
      add('scope.department', rawScope.department, 'unknown_department', (error as Error).message);
    }
  }
  if (rawScope.codes !== undefined) {
    if (!Array.isArray(rawScope.codes) || !rawScope.codes.every((code) => typeof code === 'string' || typeof code === 'number')) {
      add('scope.codes', '', 'invalid_scope', 'scope.codes は管理番号の配列で指定してください');
    } else scope.codes = [...new Set(rawScope.codes.map((code) => normalizeCode(code as string)))];
  }
  if (problems.length) throw validationError(problems);
  return { id, program: program as string, label, deadline: deadline!, scope };
}
