/**
 * A program's key: any string the registry knows (see program-definitions.ts). Programs are data
 * (seeds/programs/*.json and the `programs` table), so there is no closed list of keys in code.
 */
export type ProgramKey = string;

export interface Choice {
  key: string;
  label: string;
}

export type FieldKind = 'code' | 'freeText' | 'choice' | 'integer' | 'date' | 'division' | 'status';

/** A column of the item model: how it is called in sheets, how it is normalized, where it applies. */
export interface FieldDefinition {
  key: string;
  header: string;
  kind: FieldKind;
  choices?: readonly Choice[];
  required?: boolean;
  maxLength?: number;
}

export interface ProgramDefinition {
  key: ProgramKey;
  label: string;
  /** Japanese name of an item in this program, for messages (手続, 様式, 規定). */
  itemNoun: string;
  /** Position in lists and workbooks (lower first); undefined = after those with one. */
  order?: number;
  states: readonly Choice[];
  initialState: string;
  doneStates: readonly string[];
  excludedStates: readonly string[];
  /** States that need legalBasis filled (押印 kept because a law requires it). */
  legalBasisStates: readonly string[];
  /**
   * An editor's change into a done state is only reported (報告済) and counts as done once an
   * administrator confirms it (確認済); see src/items/confirmation-rules.ts.
   */
  confirmDone?: boolean;
  /** Program-specific columns, after the common ones. */
  extraFields: readonly FieldDefinition[];
  /** A change into a done state needs an evidence file (根拠資料) attached first. */
  evidenceForDone?: boolean;
}
