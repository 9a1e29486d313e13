// One rule for control characters, whatever way a value comes in (JSON body, query, CSV, xlsx):
// C0 controls other than tab, line feed and carriage return, DEL, and the C1 controls
// (U+0080–U+009F). Nobody types them; NUL makes PostgreSQL refuse the whole statement, escape
// sequences reach terminals through the CLI's tables, and the xlsx writer drops them, so an
// export would no longer import back unchanged.
export const CONTROL_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

function codePointLabel(character: string): string {
  return `U+${character.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** 'U+001B' for the first control character in text, else null. */
export function controlCharacterIn(text: string): string | null {
  const match = CONTROL_CHARACTER.exec(text);
  return match ? codePointLabel(match[0]) : null;
}

/** The text with each control character shown as <U+001B>, fit to print in a message or a terminal. */
export function showControlCharacters(text: string): string {
  return text.replace(CONTROL_CHARACTERS, (character) => `<${codePointLabel(character)}>`);
}
