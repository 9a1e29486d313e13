import { ArgumentMetadata } from '@nestjs/common';
import { DomainError } from './domain-error';
import { ControlCharacterPipe, findControlCharacter, ParseIdPipe } from './input-guards';

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
