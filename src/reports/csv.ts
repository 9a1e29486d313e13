// The CSV writer moved to sheets/csv-writer.ts (the import reads what it writes); this path stays
// for the API tests that check an export against it.
export * from '../sheets/csv-writer';
