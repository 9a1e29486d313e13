import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { parseMilestones, reformSeedRows } from './reform-seed';

describe('reform seed', () => {
  const rows = reformSeedRows(parse(readFileSync(join(__dirname, '..', '..', 'seeds', 'reform-initiatives.csv')), { columns: true }));

  it('holds the policy’s 30 initiatives in five areas, one undated', () => {
    expect(rows).toHaveLength(30);
    expect(new Set(rows.map((row) => row.code)).size).toBe(30);
    expect(new Set(rows.map((row) => row.fields.area))).toEqual(new Set(['organization', 'efficiency', 'riskCompliance', 'digital', 'capability']));
    expect(rows.filter((row) => row.dueOn === null).map((row) => row.fields.policyNo)).toEqual(['(2)⑤']);
  });

  it('marks the inferred owners and links §3(4) to the procedure targets', () => {
    expect(rows.filter((row) => row.ownerInferred).map((row) => row.fields.policyNo)).toEqual(['(1)④', '(1)⑤', '(2)⑩', '(5)①', '(5)②', '(5)③', '(5)④']);
    const linked = Object.fromEntries(rows.filter((row) => row.fields.linkedTargets).map((row) => [row.fields.policyNo, row.fields.linkedTargets]));
    expect(linked).toEqual({ '(4)①': 'online-mynumber27,online-priority24', '(4)②': 'seal-abolition', '(4)③': 'analog-review' });
  });

  it('turns dated milestones into plan months and keeps a fiscal-year step in the text only', () => {
    expect(parseMilestones('2025-12: 庁内会議規程等の見直し; 2026-03: タスク管理方針案; 2026年度: 職員研修会')).toEqual([
      { month: '2025-12', milestone: '庁内会議規程等の見直し' },
      { month: '2026-03', milestone: 'タスク管理方針案' },
    ]);
    expect(parseMilestones('')).toEqual([]);
  });
});
