import { dependencyOrder, portable, rowKey, TableInfo } from './table-copy';

const table = (name: string, references: string[] = []): TableInfo => ({ name, columns: ['id'], primaryKey: ['id'], references });

describe('dependencyOrder', () => {
  it('should put every referenced table before the tables that refer to it', () => {
    const ordered = dependencyOrder([table('status_history', ['items']), table('items', ['divisions']), table('divisions', ['departments']), table('departments'), table('audit_entries')]).map((t) => t.name);
    expect(ordered.indexOf('departments')).toBeLessThan(ordered.indexOf('divisions'));
    expect(ordered.indexOf('divisions')).toBeLessThan(ordered.indexOf('items'));
    expect(ordered.indexOf('items')).toBeLessThan(ordered.indexOf('status_history'));
    expect(ordered).toHaveLength(5);
  });

  it('should refuse a cycle instead of looping', () => {
    expect(() => dependencyOrder([table('a', ['b']), table('b', ['a'])])).toThrow(/cycle/);
  });
});

describe('portable values', () => {
  it('should bind booleans, dates and documents the way the target stores them', () => {
    expect(portable(true, 'sqlite')).toBe(1);
    expect(portable(false, 'postgres')).toBe(false);
    expect(portable(new Date('2026-11-24T01:02:03.004Z'), 'sqlite')).toBe('2026-11-24 01:02:03.004');
    expect(portable({ b: 1, a: [2] }, 'sqlite')).toBe('{"b":1,"a":[2]}');
    expect(portable(null, 'postgres')).toBeNull();
    expect(portable('令和8年', 'postgres')).toBe('令和8年');
  });

  it('should compare rows alike whichever driver read them (numbers, jsonb key order)', () => {
    const columns = ['id', 'definition', 'note'];
    expect(rowKey({ id: 1, definition: '{"states":["a"],"label":"押印"}', note: null }, columns)).toBe(
      rowKey({ id: '1', definition: { label: '押印', states: ['a'] }, note: null }, columns),
    );
    expect(rowKey({ id: 1, definition: '{"label":"押印"}', note: null }, columns)).not.toBe(rowKey({ id: 1, definition: { label: '押印済' }, note: null }, columns));
  });
});
