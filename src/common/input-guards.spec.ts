import { ArgumentMetadata } from '@nestjs/common';
import { DomainError } from './domain-error';
import { controlCharacterIn, showControlCharacters } from './control-characters';
import { ControlCharacterPipe, findControlCharacter, jsonNestingDepth, MAX_JSON_DEPTH, ParseIdPipe } from './input-guards';

describe('input guards', () => {
  const body: ArgumentMetadata = { type: 'body' };
  const query = (data: string): ArgumentMetadata => ({ type: 'query', data });

  it('should find control characters in strings, nested values and keys, but allow tab and newlines', () => {
    expect(findControlCharacter({ name: '行1\n行2\r\n\tインデント', note: '①㈱' })).toBeNull();
    expect(findControlCharacter({ name: 'a\u0000b' })).toEqual({ path: 'name', codePoint: 'U+0000' });
    expect(findControlCharacter({ moves: [{ division: 'ok' }, { division: '\u001b[31m' }] })).toEqual({ path: 'moves.1.division', codePoint: 'U+001B' });
    expect(findControlCharacter({ ['bad\u0007key']: 1 })).toEqual({ path: 'bad\u0007key', codePoint: 'U+0007' });
    expect(findControlCharacter('x\u007f', 'q')).toEqual({ path: 'q', codePoint: 'U+007F' });
    expect(findControlCharacter(42)).toBeNull();
  });

  it('should refuse with invalid_character naming the field', () => {
    const pipe = new ControlCharacterPipe();
    expect(pipe.transform({ name: 'ok' }, body)).toEqual({ name: 'ok' });
    expect(() => pipe.transform({ name: 'a\u0000' }, body)).toThrow(DomainError);
    expect(() => pipe.transform('市\u0000', query('q'))).toThrow(
      expect.objectContaining({ code: 'invalid_character', status: 400, details: { field: 'q', codePoint: 'U+0000' } }),
    );
    // handlers' own decorators (@CurrentActor) are not input
    expect(pipe.transform({ name: 'a\u0000' }, { type: 'custom' })).toEqual({ name: 'a\u0000' });
  });

  it('should accept only positive 32-bit ids', () => {
    const pipe = new ParseIdPipe();
    const param: ArgumentMetadata = { type: 'param', data: 'id' };
    expect(pipe.transform('1', param)).toBe(1);
    expect(pipe.transform('2147483647', param)).toBe(2147483647);
    for (const bad of ['0', '-1', '2147483648', '99999999999999999999', '1.5', 'abc', '', ' 1', '1e3']) {
      expect(() => pipe.transform(bad, param)).toThrow(expect.objectContaining({ code: 'invalid_id', status: 400 }));
    }
  });
});

describe('jsonNestingDepth', () => {
  const depth = (text: string, stop?: number) => jsonNestingDepth(Buffer.from(text), stop);
  it('should count nesting outside strings only', () => {
    expect(depth('{"a":[1,{"b":2}]}')).toBe(3);
    expect(depth('"[[[[[["')).toBe(0);
    expect(depth('{"a":"\\"[[[[", "b":[]}')).toBe(2);
    expect(depth('['.repeat(100_000) + ']'.repeat(100_000), MAX_JSON_DEPTH)).toBe(MAX_JSON_DEPTH + 1);
  });
});

describe('control characters: one rule', () => {
  it('should find C0 (not tab, LF, CR), DEL and C1, and show them printable', () => {
    expect(['\u0000', '\u001b', '\u007f', '\u0085', '\u009f'].map(controlCharacterIn)).toEqual(['U+0000', 'U+001B', 'U+007F', 'U+0085', 'U+009F']);
    expect(['a\tb\r\nc', '全角　スペース', '\u00a0', 'é'].map(controlCharacterIn)).toEqual([null, null, null, null]);
    expect(showControlCharacters('a\u001b[0m\u0085')).toBe('a<U+001B>[0m<U+0085>');
    expect(findControlCharacter({ name: 'ok', moves: [{ division: 'x\u0085' }] })).toEqual({ path: 'moves.0.division', codePoint: 'U+0085' });
  });
});
