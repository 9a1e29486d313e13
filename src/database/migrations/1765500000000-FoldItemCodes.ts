import { MigrationInterface, QueryRunner } from 'typeorm';
import { normalizeCode } from '../../sheets/normalize';

// Item codes are now folded like 全角/半角 also across dashes (‐ − – …) and ASCII case
// (normalizeCode). Codes stored before are folded the same way, so an export imports back onto
// the same items. Two items whose codes fold to one (abc-1 and ABC-1 in one program) are left as
// they are: merging them is a decision for people, and both stay reachable by id.
export class FoldItemCodes1765500000000 implements MigrationInterface {
  name = 'FoldItemCodes1765500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    const p = (index: number) => (postgres ? `$${index}` : '?');
    // Only codes with a lower-case letter or a non-ASCII character can change.
    const candidates: { id: number; program: string; code: string }[] = await queryRunner.query(
      postgres ? `SELECT id, program, code FROM items WHERE code ~ '[a-z]|[^\\x01-\\x7e]'` : `SELECT id, program, code FROM items WHERE code GLOB '*[a-z]*' OR code GLOB '*[^ -~]*'`,
    );
    for (const row of candidates) {
      const folded = normalizeCode(row.code);
      if (folded === row.code || folded === '') continue;
      const taken: unknown[] = await queryRunner.query(`SELECT id FROM items WHERE program = ${p(1)} AND code = ${p(2)}`, [row.program, folded]);
      if (taken.length > 0) continue;
      await queryRunner.query(`UPDATE items SET code = ${p(1)} WHERE id = ${p(2)}`, [folded, row.id]);
    }
    const targets: { id: string; scope: string | null }[] = await queryRunner.query(`SELECT id, scope FROM targets WHERE scope IS NOT NULL`);
    for (const target of targets) {
      const scope = JSON.parse(target.scope ?? '{}') as { codes?: unknown };
      if (!Array.isArray(scope.codes)) continue;
      const codes = [...new Set(scope.codes.map((code) => normalizeCode(String(code))))];
      if (JSON.stringify(codes) === JSON.stringify(scope.codes)) continue;
      await queryRunner.query(`UPDATE targets SET scope = ${p(1)} WHERE id = ${p(2)}`, [JSON.stringify({ ...scope, codes }), target.id]);
    }
  }

  async down(): Promise<void> {
    // The original spellings are not kept; folded codes are valid codes before this migration too.
  }
}
