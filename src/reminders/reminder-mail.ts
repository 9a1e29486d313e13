import { formatDeadline, formatWarekiDate } from '../calendar';

// The reminder mail a division receives: one mail, in Japanese, with one section per kind of
// thing waiting for it. Today that is its overdue items; open survey requests (照会) are the
// second section once survey rounds exist: they arrive as `requests` and need no change here.

export interface OverdueLine {
  programLabel: string;
  code: string;
  name: string;
  statusLabel: string;
  /** Earliest date the item is overdue from. */
  since: string;
  /** Why: its own 予定日, or a covering target's deadline (label). */
  reasons: ({ kind: 'dueOn'; date: string } | { kind: 'target'; date: string; label: string })[];
}

export interface OpenRequestLine {
  title: string;
  dueOn: string;
  /** e.g. 差戻し (returned with a reason). */
  state?: string;
}

export interface DivisionReminder {
  divisionCode: string;
  divisionName: string;
  departmentName: string;
  overdue: OverdueLine[];
  requests: OpenRequestLine[];
}

export interface ReminderMail {
  subject: string;
  text: string;
}

/** A division is written to only when something waits for it. */
export function hasSomethingToRemind(reminder: DivisionReminder): boolean {
  return reminder.overdue.length > 0 || reminder.requests.length > 0;
}

function reasonText(reason: OverdueLine['reasons'][number]): string {
  return reason.kind === 'dueOn' ? `予定日 ${formatWarekiDate(reason.date)}` : `${reason.label}の期限 ${formatDeadline(reason.date)}`;
}

interface Section {
  heading: string;
  lines: string[];
}

function sections(reminder: DivisionReminder): Section[] {
  const out: Section[] = [];
  if (reminder.requests.length) {
    out.push({
      heading: `回答をお待ちしている照会（${reminder.requests.length}件）`,
      lines: reminder.requests.map((request, index) => `${index + 1}. ${request.title}　回答期限: ${formatWarekiDate(request.dueOn)}${request.state ? `（${request.state}）` : ''}`),
    });
  }
  if (reminder.overdue.length) {
    out.push({
      heading: `期限を過ぎた項目（${reminder.overdue.length}件）`,
      lines: reminder.overdue.flatMap((item, index) => [
        `${index + 1}. [${item.programLabel}] ${item.code} ${item.name}`,
        `   状況: ${item.statusLabel}／${item.reasons.map(reasonText).join('、')}`,
      ]),
    });
  }
  return out;
}

export function buildReminderMail(reminder: DivisionReminder, asOf: string, trackerUrl?: string): ReminderMail {
  const date = formatWarekiDate(asOf);
  const counts = [
    reminder.requests.length ? `照会${reminder.requests.length}件` : '',
    reminder.overdue.length ? `期限超過${reminder.overdue.length}件` : '',
  ].filter(Boolean);
  const subject = `【手続DX】${reminder.divisionName}へのお知らせ（${counts.join('・')}、${date}現在）`;
  const body = [
    `${reminder.departmentName} ${reminder.divisionName} ご担当者様`,
    '',
    `${date}現在、${reminder.divisionName}の対応をお待ちしているものをお知らせします。`,
    '状況の更新または回答をお願いします。',
    ...sections(reminder).flatMap((section) => ['', `■ ${section.heading}`, ...section.lines]),
    '',
    trackerUrl ? `進捗管理: ${trackerUrl}` : '',
    'このメールは進捗管理システム（procedure-dx-tracker）から自動で送信しています。',
    '行き違いで対応済みの場合はご容赦ください。',
  ].filter((line, index, all) => line !== '' || all[index - 1] !== '');
  return { subject, text: `${body.join('\n')}\n` };
}
