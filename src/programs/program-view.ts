import { allPrograms, COMMON_FIELDS } from './program-definitions';
import { ProgramDefinition } from './program.types';

// The program definitions as the API shows them (GET /api/v1/programs): what the dashboard needs
// to build its filters and the status form without a second copy of the definitions.

export interface ProgramStateView {
  key: string;
  label: string;
  done: boolean;
  excluded: boolean;
  needsLegalBasis: boolean;
}

export interface ProgramView {
  key: string;
  label: string;
  itemNoun: string;
  initialState: string;
  doneStates: string[];
  excludedStates: string[];
  /** Editors' completions wait for an administrator's confirmation (報告済 → 確認済). */
  confirmDone: boolean;
  /** A done state needs an evidence file attached first. */
  evidenceForDone: boolean;
  states: ProgramStateView[];
  fields: { key: string; header: string; kind: string; required: boolean; maxLength: number | null; choices: { key: string; label: string }[] | null }[];
}

export function toProgramView(definition: ProgramDefinition): ProgramView {
  return {
    key: definition.key,
    label: definition.label,
    itemNoun: definition.itemNoun,
    initialState: definition.initialState,
    doneStates: [...definition.doneStates],
    excludedStates: [...definition.excludedStates],
    confirmDone: definition.confirmDone === true,
    evidenceForDone: definition.evidenceForDone === true,
    states: definition.states.map((state) => ({
      key: state.key,
      label: state.label,
      done: definition.doneStates.includes(state.key),
      excluded: definition.excludedStates.includes(state.key),
      needsLegalBasis: definition.legalBasisStates.includes(state.key),
    })),
    fields: [...COMMON_FIELDS, ...definition.extraFields].map((field) => ({
      key: field.key,
      header: field.header,
      kind: field.kind,
      required: field.required ?? false,
      maxLength: field.maxLength ?? null,
      choices: field.choices ? field.choices.map((choice) => ({ key: choice.key, label: choice.label })) : null,
    })),
  };
}

export function programViews(): ProgramView[] {
  return allPrograms().map(toProgramView);
}
