import * as fs from 'node:fs';
import { programFields, stateLabel } from '../src/programs/program-definitions';
import { ProgramKey } from '../src/programs/program.types';
import { finalValues, sampleItems, splitCount } from '../src/sample-data/generator';

// The benchmark's data: the demo's generator (src/sample-data) written out as the CSV sheets a
// city would import, one per program, in the import layout with Japanese labels.

export interface BenchSheet {
  program: ProgramKey;
  path: string;
  rows: number;
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The sheet cell of one field: labels for states and choices, as the export writes them. */
function cellOf(program: ProgramKey, key: string, value: unknown): string {
  if (value === null || value === undefined) return '';
  const field = programFields(program).find((candidate) => candidate.key === key)!;
  if (field.kind === 'choice') return field.choices!.find((choice) => choice.key === value)?.label ?? String(value);
  return String(value);
}

export async function writeBenchSheets(options: { count: number; today: string; divisionCodes: string[]; dir: string }): Promise<BenchSheet[]> {
  const counts = splitCount(options.count);
  const streams = new Map<ProgramKey, fs.WriteStream>();
  const sheets: BenchSheet[] = [];
  for (const program of ['seal', 'analog', 'online'] as const) {
    if (!counts[program]) continue;
    const path = `${options.dir}/bench-${program}.csv`;
    const stream = fs.createWriteStream(path, 'utf8');
    stream.write(`${programFields(program).map((field) => field.header).join(',')}\r\n`);
    streams.set(program, stream);
    sheets.push({ program, path, rows: counts[program] });
  }
  for (const item of sampleItems({ count: options.count, today: options.today, divisionCodes: options.divisionCodes })) {
    const stream = streams.get(item.program)!;
    const values = finalValues(item) as unknown as Record<string, unknown>;
    const line = programFields(item.program).map((field) => {
      if (field.key === 'status') return csvCell(stateLabel(item.program, String(values.status)));
      return csvCell(cellOf(item.program, field.key, values[field.key]));
    });
    if (!stream.write(`${line.join(',')}\r\n`)) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
  }
  await Promise.all([...streams.values()].map((stream) => new Promise<void>((resolve) => stream.end(() => resolve()))));
  return sheets;
}
