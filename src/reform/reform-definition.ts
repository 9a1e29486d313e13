import { AreaDefinition, ReformRules } from './reform-progress';

// What the policy arithmetic needs from the `reform` program's definition (seeds/programs/reform.json):
// the areas are the choices of its 分野 field, in their order.

export const REFORM_PROGRAM = 'reform';
export const AREA_FIELD = 'area';

export interface ProgramDocumentLike {
  states: readonly { key: string; label: string }[];
  doneStates: readonly string[];
  excludedStates: readonly string[];
  fields?: readonly { key: string; choices?: readonly { key: string; label: string }[] }[];
  extraFields?: readonly { key: string; choices?: readonly { key: string; label: string }[] }[];
}

export function reformRules(definition: ProgramDocumentLike): ReformRules & { stateLabels: Map<string, string> } {
  const fields = definition.fields ?? definition.extraFields ?? [];
  const areas: AreaDefinition[] = (fields.find((field) => field.key === AREA_FIELD)?.choices ?? []).map((choice) => ({ key: choice.key, label: choice.label }));
  return {
    areas,
    doneStates: definition.doneStates,
    excludedStates: definition.excludedStates,
    stateLabels: new Map(definition.states.map((state) => [state.key, state.label])),
  };
}

/** The 連携目標 field as stored: target ids separated by commas, 、 or spaces. */
export function linkedTargetIds(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  return value
    .normalize('NFKC')
    .split(/[\s,、・]+/)
    .map((id) => id.trim().toLowerCase())
    .filter(Boolean);
}
