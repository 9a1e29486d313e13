export type ProgramKey = 'online' | 'seal' | 'analog';
export const PROGRAM_KEYS: readonly ProgramKey[] = ['online', 'seal', 'analog'];

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
}
