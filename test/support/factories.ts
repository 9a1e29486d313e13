import type { Actor } from '../../src/common/actor';
import { Item } from '../../src/items/item.entity';
import type { DivisionRef } from '../../src/organization/organization.service';
import { getProgram, stateLabel } from '../../src/programs/program-definitions';
import type { ProgramDocument } from '../../src/programs/program-document';
import type { TestApp } from './test-app';

// Test data with sensible defaults, built from the program definitions: a test names only what
// it is about (a status, a date, a field) and the rest is a valid item of that program. Codes are
// unique within a test file unless a test gives its own.

let sequence = 0;

/** A code no other factory call in this file has handed out: `SEAL-3`, `FOLDERS-12`. */
export function nextCode(program: string): string {
  return `${program.toUpperCase()}-${++sequence}`;
}

/** Fields of an item as the items API takes them (keys or labels, as a clerk would send them). */
export type ItemInput = Record<string, unknown>;

/**
 * A body for `POST /api/v1/programs/:program/items`: a fresh code, the program's item noun and
 * the code as name (様式SEAL-1), 総務課 (in the seeds), the program's initial state by its label.
 */
export function itemBody(program: string, overrides: ItemInput = {}): ItemInput {
  const definition = getProgram(program);
  const code = typeof overrides.code === 'string' ? overrides.code : nextCode(program);
  return { code, name: `${definition.itemNoun}${code}`, division: '総務課', status: stateLabel(program, definition.initialState), ...overrides };
}

/** What the items API answers for an item (the fields tests read most; the rest by key). */
export interface ItemResponse {
  id: number;
  code: string;
  name: string;
  status: string;
  version: number;
  [field: string]: unknown;
}

/** Creates one item through the API (as the admin unless a token is given); expects 201. */
export async function createItem<T = ItemResponse>(t: TestApp, program: string, overrides: ItemInput = {}, token = t.adminToken): Promise<T> {
  const response = await t.http().post(`/api/v1/programs/${program}/items`).set('Authorization', `Bearer ${token}`).send(itemBody(program, overrides)).expect(201);
  return response.body as T;
}

/** Creates the items one after another (their ids follow the order given). */
export async function createItems(t: TestApp, program: string, rows: ItemInput[], token = t.adminToken): Promise<ItemResponse[]> {
  const created: ItemResponse[] = [];
  for (const row of rows) created.push(await createItem(t, program, row, token));
  return created;
}

/** An item as the database holds it (an Item entity), for unit tests of plans and parsers. */
export function storedItem(program: string, overrides: Partial<Item> = {}): Item {
  const code = overrides.code ?? nextCode(program);
  const name = overrides.name ?? `${getProgram(program).itemNoun}${code}`;
  return Object.assign(new Item(), {
    id: 100 + sequence,
    program,
    code,
    name,
    status: getProgram(program).initialState,
    statusEffectiveOn: null,
    divisionId: 1,
    dueOn: null,
    completedOn: null,
    note: null,
    fields: {},
    searchText: `${code.toLowerCase()} ${name}`,
    version: 3,
    createdAt: '2026-04-01T00:00:00.000Z',
    updatedAt: '2026-04-01T00:00:00.000Z',
    ...overrides,
  });
}

/** Three divisions of two departments, as the unit tests of parsers and plans know them. */
export const TEST_DIVISIONS: readonly DivisionRef[] = [
  { id: 1, code: 'D01-01', name: '総務課', departmentId: 1, departmentCode: 'D01', departmentName: '行政管理部' },
  { id: 2, code: 'D01-02', name: '行政経営課', departmentId: 1, departmentCode: 'D01', departmentName: '行政管理部' },
  { id: 3, code: 'D03-01', name: '市民課', departmentId: 3, departmentCode: 'D03', departmentName: '市民安全部' },
];

/** Someone acting (a signed-in user): an administrator unless the role says otherwise. */
export function actor(role: Actor['role'] = 'admin', overrides: Partial<Actor> = {}): Actor {
  return { userId: role === 'admin' ? 1 : 2, name: role === 'admin' ? '取込 太郎' : '市民 花子', role, departmentId: role === 'admin' ? null : 3, ...overrides };
}

/** A body for `POST /api/v1/users`: an editor of 行政管理部 with a fresh login. */
export function userBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const n = ++sequence;
  return { name: `利用者${n}`, login: `user-${n}`, role: 'editor', department: '行政管理部', ...overrides };
}

/** A body for `POST /api/v1/targets` over a program: its label, the end of 令和8年度, every item. */
export function targetBody(program: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: `${program}-t${++sequence}`, program, label: `${getProgram(program).label}（テスト）`, deadline: '2027-03-31', ...overrides };
}

/** A target scope on one of a program's choice fields, by the choice's key (the first one unless named). */
export function fieldScope(program: string, field: string, choice?: string): { fields: Record<string, string> } {
  const definition = getProgram(program).extraFields.find((candidate) => candidate.key === field && candidate.kind === 'choice');
  if (!definition?.choices?.length) throw new Error(`${program} has no choice field ${field}`);
  const picked = choice === undefined ? definition.choices[0] : definition.choices.find((candidate) => candidate.key === choice);
  if (!picked) throw new Error(`${program}.${field} has no choice ${choice}`);
  return { fields: { [field]: picked.key } };
}

/**
 * A program document that is not built in (CONTRACT.md "Programs as data": shared folders);
 * overrides replace top-level entries. A fresh copy each call, so a test may change it.
 */
export function programDocument(overrides: Partial<ProgramDocument> = {}): ProgramDocument {
  return {
    key: 'folders',
    label: '共有フォルダ整理',
    itemNoun: 'フォルダ',
    states: [
      { key: 'not_started', label: '未着手' },
      { key: 'sorting', label: '整理中' },
      { key: 'sorted', label: '整理済' },
      { key: 'out_of_scope', label: '対象外' },
    ],
    initialState: 'not_started',
    doneStates: ['sorted'],
    excludedStates: ['out_of_scope'],
    legalBasisStates: [],
    fields: [
      { key: 'sizeGb', header: '容量（GB）', kind: 'integer' },
      { key: 'retention', header: '保存年限', kind: 'choice', choices: [ { key: 'y1', label: '1年' }, { key: 'y5', label: '5年' } ] },
      { key: 'manager', header: '管理者', kind: 'text', maxLength: 100 },
      { key: 'checkedOn', header: '確認日', kind: 'date' },
    ],
    ...overrides,
  };
}
