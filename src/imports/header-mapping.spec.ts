import { SheetFormatError } from '../sheets';
import { codeSequence, mappedColumnSpecs, parseMappingParameter, withFoundHeaders } from './header-mapping';

describe('header mapping', () => {
  it('adds the mapped headers as aliases of the columns named by key or header', () => {
    const specs = mappedColumnSpecs('seal', { 'No.': '管理番号', 様式名: 'name' });
    expect(specs.find((spec) => spec.key === 'code')!.aliases).toEqual(['No.']);
    expect(specs.find((spec) => spec.key === 'name')!.aliases).toEqual(['様式名']);
  });

  it('refuses a column the program lacks, a header of another column, and bad JSON', () => {
    expect(() => mappedColumnSpecs('seal', { 'No.': '条項' })).toThrow(expect.objectContaining({ code: 'invalid_mapping' }));
    expect(() => mappedColumnSpecs('seal', { 名称: '管理番号' })).toThrow(/すでに列「名称」/);
    expect(() => parseMappingParameter('["No."]')).toThrow(expect.objectContaining({ code: 'invalid_mapping' }));
    expect(() => parseMappingParameter('{')).toThrow(expect.objectContaining({ code: 'invalid_mapping' }));
    expect(parseMappingParameter('{"No.":"code","空":""}')).toEqual({ 'No.': 'code' });
  });

  it('makes 管理番号 optional only when codes are assigned', () => {
    expect(mappedColumnSpecs('seal', undefined).find((spec) => spec.key === 'code')!.required).toBe(true);
    expect(mappedColumnSpecs('seal', undefined, { codeOptional: true }).find((spec) => spec.key === 'code')!.required).toBe(false);
  });

  it('names the headers found in the closest row', () => {
    const error = new SheetFormatError('header_not_found', '見出し行が見つかりません（先頭20行に 管理番号 が必要です）', { closestRow: 2 });
    const rows = [
      { rowNumber: 1, cells: ['一覧表', null] },
      { rowNumber: 2, cells: ['No.', ' 様式名 ', null, '状況'] },
    ];
    const found = withFoundHeaders(error, rows);
    expect(found.detail).toMatchObject({ foundHeaders: ['No.', '様式名', '状況'], foundRow: 2 });
    expect(found.messageJa).toContain('2行目にある見出し: No.・様式名・状況');
  });

  it('continues codes after the highest stored one', () => {
    const next = codeSequence('SEAL-A', 'SEAL-A00041');
    expect([next(), next()]).toEqual(['SEAL-A00042', 'SEAL-A00043']);
    expect(codeSequence('SEAL-A', null)()).toBe('SEAL-A00001');
  });
});
