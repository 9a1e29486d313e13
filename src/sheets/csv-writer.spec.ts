import { parse } from 'csv-parse/sync';
import { csvRecord, neutralizeFormula, quoteCsvField, restoreNeutralized } from './csv-writer';

describe('neutralizeFormula', () => {
  it.each([
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['+81 99 000', "'+81 99 000"],
    ['-x', "'-x"],
    ['@cmd', "'@cmd"],
    ['\tindent', "'\tindent"],
    ['\rline', "'\rline"],
    ['=HYPERLINK("http://x","y")', `'=HYPERLINK("http://x","y")`],
    ['-1+2', "'-1+2"],
  ])('should prefix %j with a quote', (input, expected) => {
    expect(neutralizeFormula(input)).toBe(expected);
  });

  it.each(['様式第1号', 'A-1', 'a=b', '', '1', '-1', '+81', '-0.5', "'plain", '２０２６'])('should leave %j as it is', (input) => {
    expect(neutralizeFormula(input)).toBe(input);
  });

  it("should add one more quote to text that already starts with ' and a formula character", () => {
    expect(neutralizeFormula("'=x")).toBe("''=x");
  });
});

describe('restoreNeutralized', () => {
  it.each(['=SUM(A1)', '-x', "'=x", "''@y", "'plain", "'-1", '-1', 'plain', '', "'", '\tx'])('should undo neutralizeFormula exactly for %j', (text) => {
    expect(restoreNeutralized(neutralizeFormula(text))).toBe(text);
  });

  it("should keep a ' that the exporter did not add", () => {
    expect(restoreNeutralized("'abc")).toBe("'abc");
    expect(restoreNeutralized("'-1")).toBe("'-1");
  });
});

describe('quoteCsvField', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rhere', '"cr\rhere"'],
    ['全角，読点', '全角，読点'],
  ])('should quote %j as %j', (input, expected) => {
    expect(quoteCsvField(input)).toBe(expected);
  });
});

describe('csvRecord', () => {
  it('should end with CRLF, write numbers bare and nulls empty', () => {
    expect(csvRecord(['S-01', 12, null, undefined, 0])).toBe('S-01,12,,,0\r\n');
  });

  it('should neutralize before quoting, so the quote goes inside the field', () => {
    expect(csvRecord(['=1,2', '"x"'])).toBe(`"'=1,2","""x"""\r\n`);
  });

  it('should never neutralize a number cell', () => {
    expect(csvRecord([-3])).toBe('-3\r\n');
  });

  it('should read back with csv-parse as the same fields', () => {
    const cells = ['管理番号', 'a,b', 'line1\r\nline2', 'say "hi"', '①㈱', '=cmd', ''];
    const line = csvRecord(cells);
    const [record] = parse(line, { relax_column_count: false }) as string[][];
    expect(record).toEqual(['管理番号', 'a,b', 'line1\r\nline2', 'say "hi"', '①㈱', "'=cmd", '']);
    expect(record.map(restoreNeutralized)).toEqual(cells);
  });
});
