// The sheet writers of the exports, by what they write:
// - ../items/item-sheet.ts      a program's item sheet as values (the import layout)
// - item-sheet-writers.ts       that sheet as CSV or xlsx (CsvItemWriter, XlsxItemWriter)
// - table-sheet.ts              a streamed workbook and its table sheets (TableSheet)
// - cell-style.ts               column kinds, widths, number formats, header look, row heights
// - back-pressure.ts            waiting for a full output, giving up on a closed one
export * from '../items/item-sheet';
export * from './back-pressure';
export * from './cell-style';
export * from './item-sheet-writers';
export * from './table-sheet';
