// Reading Excel/CSV sheets: streaming readers, header location and cell normalization.
export * from './sheet-errors';
export * from './encoding';
export * from './sheet-reader';
export * from './header';
export { normalizeCode, normalizeMatchValue, normalizeFreeText, parseIntegerCell, parseDateCell } from './normalize';
export type { IntegerCellResult, DateCellResult } from './normalize';
