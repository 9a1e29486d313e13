import { DomainError } from '../common/domain-error';

// A program may require evidence (根拠資料) for a done state: an amended form, the revised rule.
// Then a change into a done state needs at least one file attached to the item first.

export interface EvidenceCheck {
  /** The program's definition says `evidenceForDone: true`. */
  evidenceRequired: boolean;
  /** The change moves the item into a done state (from a state that was not done). */
  entersDoneState: boolean;
  attachmentCount: number;
}

export function evidenceMissing(check: EvidenceCheck): boolean {
  return check.evidenceRequired && check.entersDoneState && check.attachmentCount === 0;
}

export function evidenceRequiredError(itemCode: string): DomainError {
  return new DomainError(
    'evidence_required',
    `「${itemCode}」を完了にするには根拠資料（改正後の様式・規定など）を先に添付してください`,
    400,
    { code: itemCode },
  );
}

/** Throws 400 evidence_required when the change needs evidence that is not there. */
export function assertEvidence(check: EvidenceCheck, itemCode: string): void {
  if (evidenceMissing(check)) throw evidenceRequiredError(itemCode);
}
