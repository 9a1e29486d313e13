import { DomainError } from '../common/domain-error';

// A division's answer to a 照会 round: waiting → answered → confirmed, or answered → returned →
// answered again. Pure rules, so every transition is pinned by unit tests.

export type SurveyStatus = 'waiting' | 'answered' | 'returned' | 'confirmed';
export type SurveyAction = 'answer' | 'confirm' | 'return';

export const SURVEY_STATUS_LABELS: Readonly<Record<SurveyStatus, string>> = {
  waiting: '未回答',
  answered: '回答済',
  returned: '差戻し',
  confirmed: '確認済',
};

export const SURVEY_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The status after `action`, or the error that refuses it (409: the answer is not in a state for it). */
export function nextSurveyStatus(current: SurveyStatus, action: SurveyAction, divisionName: string): SurveyStatus {
  if (current === 'confirmed') {
    throw new DomainError('survey_already_confirmed', `「${divisionName}」の回答は確認済です。変更はできません`, 409);
  }
  if (action === 'answer') return 'answered';
  if (current !== 'answered') {
    const what = action === 'confirm' ? '確認' : '差戻し';
    throw new DomainError('survey_not_answered', `「${divisionName}」はまだ回答していません（${SURVEY_STATUS_LABELS[current]}）。回答があってから${what}できます`, 409);
  }
  return action === 'confirm' ? 'confirmed' : 'returned';
}

/** Past its due date with no answer standing (waiting, or returned and not answered again). */
export function isLate(status: SurveyStatus, dueOn: string, today: string): boolean {
  return (status === 'waiting' || status === 'returned') && today > dueOn;
}

/** Still asks something of the division. */
export function isOpenForDivision(status: SurveyStatus): boolean {
  return status === 'waiting' || status === 'returned';
}
