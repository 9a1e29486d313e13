import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { controlCharacterIn } from './control-characters';
import { clip, DomainError } from './domain-error';

// Guards every value that reaches a handler (body, query, path), before the DTO rules run.

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** The first string (or key) holding a control character, as a path like `name` or `moves.0.division`. */
export function findControlCharacter(value: unknown, path = '', depth = 0): { path: string; codePoint: string } | null {
  const at = controlCharacterIn;
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
      const field = clip(found.path || metadata.type);
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

/** Deepest nesting of objects and arrays a JSON body may have (real bodies nest three or four levels). */
export const MAX_JSON_DEPTH = 64;

/**
 * The deepest nesting in JSON text, counted over the raw bytes before anything parses it, so a
 * 100,000-deep body is refused (400) instead of exhausting the stack of a recursive walker (500).
 * Brackets inside strings do not count; malformed text is left to the parser's own error.
 */
export function jsonNestingDepth(bytes: Uint8Array, stopAbove = Infinity): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > deepest && (deepest = depth) > stopAbove) return deepest;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}

/** body-parser's `verify` hook: refuses JSON nested deeper than MAX_JSON_DEPTH. */
export function refuseDeepJson(_request: unknown, _response: unknown, body: Buffer): void {
  if (jsonNestingDepth(body, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw new DomainError('too_deep', `JSON の入れ子が深すぎます（${MAX_JSON_DEPTH}段まで）`, 400, { maxDepth: MAX_JSON_DEPTH });
  }
}
