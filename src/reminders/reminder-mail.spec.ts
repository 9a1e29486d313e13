import { buildReminderMail, DivisionReminder, hasSomethingToRemind } from './reminder-mail';

const base: DivisionReminder = {
  divisionCode: 'D03-01',
  divisionName: '市民課',
  departmentName: '市民安全部',
  overdue: [
    {
      programLabel: '押印廃止',
      code: 'S-001',
      name: '住民票の写し交付申請書',
      statusLabel: '押印必要',
      since: '2026-03-31',
      reasons: [
        { kind: 'dueOn', date: '2026-03-31' },
        { kind: 'target', date: '2026-09-30', label: '押印廃止（全様式）' },
      ],
    },
  ],
  requests: [],
};

describe('buildReminderMail', () => {
  it('should name the division, the date in 和暦 and each overdue item with its reasons', () => {
    const mail = buildReminderMail(base, '2026-11-24');
    expect(mail.subject).toBe('【手続DX】市民課へのお知らせ（期限超過1件、令和8年11月24日現在）');
    expect(mail.text).toContain('市民安全部 市民課 ご担当者様');
    expect(mail.text).toContain('■ 期限を過ぎた項目（1件）\n1. [押印廃止] S-001 住民票の写し交付申請書\n   状況: 押印必要／予定日 令和8年3月31日、押印廃止（全様式）の期限 令和8年9月30日');
    expect(mail.text).not.toContain('照会');
  });

  it('should list open survey requests first when there are any', () => {
    const mail = buildReminderMail({ ...base, requests: [{ title: '令和8年度 押印廃止照会', dueOn: '2026-12-10', state: '差戻し' }] }, '2026-11-24');
    expect(mail.subject).toContain('照会1件・期限超過1件');
    expect(mail.text.indexOf('■ 回答をお待ちしている照会（1件）\n1. 令和8年度 押印廃止照会　回答期限: 令和8年12月10日（差戻し）')).toBeGreaterThan(0);
    expect(mail.text.indexOf('■ 回答をお待ちしている照会')).toBeLessThan(mail.text.indexOf('■ 期限を過ぎた項目'));
  });

  it('should have nothing to send for a division with nothing waiting', () => {
    expect(hasSomethingToRemind({ ...base, overdue: [] })).toBe(false);
    expect(hasSomethingToRemind(base)).toBe(true);
  });
});
