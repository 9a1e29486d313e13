// The sheet writers of the exports, by what they write:
// - ../items/item-sheet.ts      a program's item sheet as values (the import layout)
// - item-sheet-writers.ts       that sheet as CSV or xlsx (CsvItemWriter, XlsxItemWriter)
// - ../sheets/table-sheet.ts    a streamed workbook and its table sheets (TableSheet)
// - ../sheets/cell-style.ts     column kinds, widths, number formats, header look, row heights
// - ../sheets/back-pressure.ts  waiting for a full output, giving up on a closed one
export * from '../items/item-sheet';
export * from '../sheets/back-pressure';
export * from '../sheets/cell-style';
export * from '../sheets/table-sheet';
export * from './item-sheet-writers';
