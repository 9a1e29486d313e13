import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { DomainError } from './domain-error';

// Guards every value that reaches a handler (body, query, path), before the DTO rules run.

/**
 * C0 control characters other than tab, line feed and carriage return, and DEL. Nobody types
 * them; NUL makes PostgreSQL refuse the whole statement (500) and escape sequences would reach
 * the terminal through the CLI's tables.
 */
const CONTROL_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** The first string (or key) holding a control character, as a path like `name` or `moves.0.division`. */
export function findControlCharacter(value: unknown, path = '', depth = 0): { path: string; codePoint: string } | null {
  const at = (text: string) => {
    const match = CONTROL_CHARACTER.exec(text);
    return match ? `U+${match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` : null;
  };
  if (typeof value === 'string') {
    const codePoint = at(value);
    return codePoint ? { path, codePoint } : null;
  }
  // Deeper than any body we accept: nothing to look for down there that the DTO would keep.
  if (depth > 32) return null;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const found = findControlCharacter(value[index], path ? `${path}.${index}` : String(index), depth + 1);
      if (found) return found;
    }
    return null;
  }
  if (isPlainObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      const childPath = path ? `${path}.${key}` : key;
      const keyCode = at(key);
      if (keyCode) return { path: childPath, codePoint: keyCode };
      const found = findControlCharacter(child, childPath, depth + 1);
      if (found) return found;
    }
  }
  return null;
}

@Injectable()
export class ControlCharacterPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    const found = findControlCharacter(value, metadata.data ?? '');
    if (found) {
      const field = found.path || metadata.type;
      throw new DomainError('invalid_character', `「${field}」に使えない制御文字（${found.codePoint}）が含まれています`, 400, {
        field,
        codePoint: found.codePoint,
      });
    }
    return value;
  }
}

/** Database ids are positive 32-bit integers: anything else names no row (and would overflow PostgreSQL's integer). */
@Injectable()
export class ParseIdPipe implements PipeTransform<string, number> {
  transform(value: string, metadata: ArgumentMetadata): number {
    const text = String(value ?? '');
    const id = /^\d{1,10}$/.test(text) ? Number(text) : NaN;
    if (!Number.isInteger(id) || id < 1 || id > 2_147_483_647) {
      throw new DomainError('invalid_id', `${metadata.data ?? 'id'}「${text.slice(0, 40)}」は正しい番号ではありません`, 400);
    }
    return id;
  }
}
