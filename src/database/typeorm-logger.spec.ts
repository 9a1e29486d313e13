import { Logger } from '@nestjs/common';
import { TypeOrmLogger } from './typeorm-logger';

describe('TypeOrmLogger', () => {
  afterEach(() => jest.restoreAllMocks());

  it('should pass a failed query to the application logger on one line, without its parameters', () => {
    const errors: unknown[] = [];
    jest.spyOn(Logger.prototype, 'error').mockImplementation((message: unknown) => void errors.push(message));
    new TypeOrmLogger().logQueryError(new Error('no such table: itemz'), 'SELECT *\n  FROM itemz\n WHERE token_hash = ?', ['secret-hash-value']);
    expect(errors).toEqual(['query failed: no such table: itemz (SELECT * FROM itemz WHERE token_hash = ?)']);
  });

  it('should keep quiet about ordinary queries', () => {
    const logged = jest.spyOn(Logger.prototype, 'log');
    new TypeOrmLogger().logQuery();
    expect(logged).not.toHaveBeenCalled();
  });
});
