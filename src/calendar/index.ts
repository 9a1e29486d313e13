// Public entry point of the calendar module: pure date, fiscal-year and 和暦 helpers.
export * from './iso-date';
export * from './fiscal-year';
export * from './wareki';
export * from './supported-range';
