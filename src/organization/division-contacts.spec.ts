import { normalizeEmail, parseContactEmails, splitContactCell } from './division-contacts';

describe('division contact addresses', () => {
  it('should normalize full-width input and the domain case, and drop duplicates', () => {
    expect(normalizeEmail(' ｓｈｉｍｉｎ＠City.Example.LG.JP ')).toBe('shimin@city.example.lg.jp');
    expect(parseContactEmails(['Shimin@city.example.jp', 'Shimin@CITY.example.jp', 'b@city.example.jp'])).toEqual([
      'Shimin@city.example.jp',
      'b@city.example.jp',
    ]);
  });

  it('should refuse what is not an address, naming the value and its position', () => {
    for (const bad of ['shimin', 'a@b', 'a b@city.jp', 'a@@city.jp', 'a..b@city.jp', '<a@city.jp>', 42]) {
      expect(() => parseContactEmails(['ok@city.example.jp', bad])).toThrow(expect.objectContaining({ code: 'invalid_email', details: { field: 'emails.1', value: bad } }));
    }
    expect(() => parseContactEmails('a@city.jp')).toThrow(expect.objectContaining({ code: 'invalid_email' }));
    expect(() => parseContactEmails(Array.from({ length: 21 }, (_, i) => `u${i}@city.jp`))).toThrow(expect.objectContaining({ code: 'too_many_contacts' }));
  });

  it('should split a seed cell on semicolons, commas and spaces', () => {
    expect(splitContactCell('a@city.jp; b@city.jp,c@city.jp  d@city.jp')).toEqual(['a@city.jp', 'b@city.jp', 'c@city.jp', 'd@city.jp']);
    expect(splitContactCell('')).toEqual([]);
    expect(splitContactCell(undefined)).toEqual([]);
  });
});
