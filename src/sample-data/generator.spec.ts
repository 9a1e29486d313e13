import { getProgram } from '../programs/program-definitions';
import { ProgramKey } from '../programs/program.types';
import {
  evenPlan,
  finalValues,
  historyStart,
  SAMPLE_NOTE,
  SAMPLE_PREFIX,
  SampleItem,
  sampleItemBatches,
  sampleItems,
  SampleRandom,
  sampleVolumes,
  seededTimelines,
  SAMPLE_PROFILES,
  splitCount,
} from './generator';
import { sampleRows } from './sample-rows';

const TODAY = '2026-11-24';
const DIVISIONS = ['D01-01', 'D03-01', 'D04-01', 'D05-03', 'D08-02'];
const options = { count: 400, today: TODAY, divisionCodes: DIVISIONS };

describe('SampleRandom', () => {
  it('should repeat its sequence for a seed and stay in [0, 1)', () => {
    const a = new SampleRandom(7);
    const b = new SampleRandom(7);
    const values = Array.from({ length: 1000 }, () => a.next());
    expect(values).toEqual(Array.from({ length: 1000 }, () => b.next()));
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
    expect(new SampleRandom(8).next()).not.toBe(values[0]);
  });
});

describe('sampleItems', () => {
  const items = [...sampleItems(options)];

  it('should draw the same city for the same seed and another for another seed', () => {
    expect([...sampleItems(options)]).toEqual(items);
    expect([...sampleItems({ ...options, seed: 1 })]).not.toEqual(items);
  });

  it('should split the count over the three programs, with unique codes', () => {
    expect(splitCount(400)).toEqual({ seal: 220, analog: 140, online: 40 });
    expect(splitCount(1)).toEqual({ seal: 1, analog: 0, online: 0 });
    const byProgram = (program: ProgramKey) => items.filter((item) => item.program === program).length;
    expect([byProgram('seal'), byProgram('analog'), byProgram('online')]).toEqual([220, 140, 40]);
    expect(new Set(items.map((item) => `${item.program}:${item.initial.code}`)).size).toBe(400);
  });

  it('should label every item and keep every change between its creation and today, in order', () => {
    const start = historyStart(TODAY);
    expect(start).toBe('2024-11-01');
    for (const item of items) {
      expect(item.initial.name.startsWith(SAMPLE_PREFIX)).toBe(true);
      expect(item.initial.note).toBe(SAMPLE_NOTE);
      expect(DIVISIONS).toContain(item.initial.division);
      expect(item.initial.status).toBe(getProgram(item.program).initialState);
      expect(item.createdOn >= start && item.createdOn <= TODAY).toBe(true);
      const dates = item.changes.map((change) => change.on);
      expect([...dates].sort()).toEqual(dates);
      expect(dates.every((date) => date >= item.createdOn && date <= TODAY)).toBe(true);
    }
  });

  it('should reach every final state of each program', () => {
    for (const program of ['seal', 'analog', 'online'] as const) {
      const finals = new Set(items.filter((item) => item.program === program).map((item) => finalValues(item).status));
      expect([...finals].sort()).toEqual(getProgram(program).states.map((state) => state.key).sort());
    }
  });

  it('should produce rows and history that obey the status rules (planCreate / planUpdate)', () => {
    for (const item of items) {
      const { row, history } = sampleRows(item, 1);
      const final = finalValues(item);
      expect(row.status).toBe(final.status);
      expect(row.completedOn).toBe(final.completedOn);
      expect(row.note?.startsWith(SAMPLE_NOTE)).toBe(true);
      expect(history).toHaveLength(item.changes.length + 1);
      expect(history[0]).toMatchObject({ fromStatus: null, toStatus: item.initial.status, by: 'サンプルデータ' });
      expect(row.version).toBe(1 + item.changes.length);
    }
  });

  it('should stream lazily, in batches, however large the count', () => {
    const huge = sampleItems({ ...options, count: 10_000_000 });
    const first: SampleItem[] = [];
    for (const item of huge) {
      first.push(item);
      if (first.length === 3) break;
    }
    expect(first.map((item) => item.initial.code)).toEqual(['SMP-S0000001', 'SMP-S0000002', 'SMP-S0000003']);
    const batches = [...sampleItemBatches(options, 150)];
    expect(batches.map((batch) => batch.length)).toEqual([150, 150, 100]);
    expect(batches.flat()).toEqual(items);
  });
});

describe('seededTimelines', () => {
  const procedures = [
    ...Array.from({ length: 27 }, (_, index) => ({ code: `MN-${index + 1}`, nationalGroup: 'mynumber27', name: `手続${index}` })),
    ...Array.from({ length: 24 }, (_, index) => ({ code: `PR-${index + 1}`, nationalGroup: 'priority24', name: `手続${index}` })),
  ];
  const timelines = seededTimelines(procedures, { today: TODAY, deadlines: { mynumber27: '2025-09-30', priority24: '2026-03-31' } });

  it('should relabel every seeded procedure and keep its changes in order, never after today', () => {
    expect(timelines.size).toBe(51);
    for (const [code, timeline] of timelines) {
      expect(timeline.edit.name).toBe(`${SAMPLE_PREFIX}${procedures.find((procedure) => procedure.code === code)!.name}`);
      const dates = timeline.changes.map((change) => change.on);
      expect([...dates].sort()).toEqual(dates);
      expect(dates.every((date) => date >= timeline.editOn && date <= TODAY)).toBe(true);
    }
  });

  it('should put most of a group online before its deadline and the 27 at about 18,000 cases a year', () => {
    const mynumber = [...timelines].filter(([code]) => code.startsWith('MN-')).map(([, timeline]) => timeline);
    const onTime = mynumber.filter((timeline) => timeline.changes.at(-1)!.status === 'online' && timeline.changes.at(-1)!.on <= '2025-09-30');
    expect(onTime.length).toBeGreaterThanOrEqual(20);
    const cases = mynumber.reduce((sum, timeline) => sum + Number(timeline.edit.annualVolume ?? 0), 0);
    expect(cases).toBeGreaterThan(12000);
    expect(cases).toBeLessThan(24000);
  });
});

describe('evenPlan', () => {
  it('should spread the total over the months, the remainder first', () => {
    expect(evenPlan(10, '2026-11', '2027-02')).toEqual([
      { month: '2026-11', planned: 3 },
      { month: '2026-12', planned: 3 },
      { month: '2027-01', planned: 2 },
      { month: '2027-02', planned: 2 },
    ]);
    expect(evenPlan(5, '2027-01', '2026-12')).toEqual([]);
  });
});

describe('sampleVolumes', () => {
  const months = ['2026-01', '2026-02', '2026-03', '2026-04'];
  const rows = [...sampleVolumes([{ code: 'A', annualVolume: 1200, onlineSince: '2026-03-10' }, { code: 'B', annualVolume: 600, onlineSince: null }], months)];

  it('should count no online case before a procedure goes online', () => {
    expect(rows).toHaveLength(8);
    expect(rows.filter((row) => row.code === 'B').every((row) => row.online === 0 && row.offline > 0)).toBe(true);
    expect(rows.filter((row) => row.code === 'A' && row.month < '2026-03').every((row) => row.online === 0)).toBe(true);
    expect(rows.every((row) => Number.isInteger(row.online) && Number.isInteger(row.offline) && row.online >= 0 && row.offline >= 0)).toBe(true);
  });

  it('should repeat for the same seed', () => {
    expect([...sampleVolumes([{ code: 'A', annualVolume: 1200, onlineSince: '2026-03-10' }, { code: 'B', annualVolume: 600, onlineSince: null }], months)]).toEqual(rows);
  });
});

describe('SAMPLE_PROFILES', () => {
  it('should name only states of the program definitions, each path ending at its final state', () => {
    for (const profile of SAMPLE_PROFILES) {
      const states = getProgram(profile.program).states.map((state) => state.key);
      for (const [final, path] of Object.entries(profile.paths)) {
        expect([final, ...path].filter((state) => !states.includes(state))).toEqual([]);
        expect(path.length === 0 ? getProgram(profile.program).initialState : path.at(-1)).toBe(final);
      }
      expect(Object.keys(profile.finalStates).sort()).toEqual(Object.keys(profile.paths).sort());
    }
  });
});
