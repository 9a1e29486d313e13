import { DomainError } from '../common/domain-error';
import { isLate, nextSurveyStatus } from './survey-rules';

const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as DomainError).code;
  }
  return null;
};

describe('nextSurveyStatus', () => {
  it('walks waiting → answered → returned → answered → confirmed', () => {
    expect(nextSurveyStatus('waiting', 'answer', '総務課')).toBe('answered');
    expect(nextSurveyStatus('answered', 'return', '総務課')).toBe('returned');
    expect(nextSurveyStatus('returned', 'answer', '総務課')).toBe('answered');
    expect(nextSurveyStatus('answered', 'answer', '総務課')).toBe('answered');
    expect(nextSurveyStatus('answered', 'confirm', '総務課')).toBe('confirmed');
  });

  it('refuses to confirm or return what was not answered, and anything after a confirmation', () => {
    expect(codeOf(() => nextSurveyStatus('waiting', 'confirm', '総務課'))).toBe('survey_not_answered');
    expect(codeOf(() => nextSurveyStatus('returned', 'return', '総務課'))).toBe('survey_not_answered');
    expect(codeOf(() => nextSurveyStatus('confirmed', 'answer', '総務課'))).toBe('survey_already_confirmed');
    expect(codeOf(() => nextSurveyStatus('confirmed', 'confirm', '総務課'))).toBe('survey_already_confirmed');
  });
});

describe('isLate', () => {
  it('marks unanswered and returned divisions after the due date only', () => {
    expect(isLate('waiting', '2026-11-20', '2026-11-20')).toBe(false);
    expect(isLate('waiting', '2026-11-20', '2026-11-21')).toBe(true);
    expect(isLate('returned', '2026-11-20', '2026-11-21')).toBe(true);
    expect(isLate('answered', '2026-11-20', '2026-11-21')).toBe(false);
    expect(isLate('confirmed', '2026-11-20', '2026-11-21')).toBe(false);
  });
});
