import { assertEvidence, evidenceMissing } from './evidence-rule';

describe('evidence for a done state', () => {
  it('should be missing only when required, entering done, and nothing is attached', () => {
    expect(evidenceMissing({ evidenceRequired: true, entersDoneState: true, attachmentCount: 0 })).toBe(true);
    expect(evidenceMissing({ evidenceRequired: true, entersDoneState: true, attachmentCount: 1 })).toBe(false);
    expect(evidenceMissing({ evidenceRequired: true, entersDoneState: false, attachmentCount: 0 })).toBe(false);
    expect(evidenceMissing({ evidenceRequired: false, entersDoneState: true, attachmentCount: 0 })).toBe(false);
  });

  it('should refuse with evidence_required naming the item', () => {
    expect(() => assertEvidence({ evidenceRequired: true, entersDoneState: true, attachmentCount: 0 }, 'S-001')).toThrow(
      expect.objectContaining({ code: 'evidence_required', status: 400, message: expect.stringContaining('S-001') }),
    );
  });
});
