import * as nodemailer from 'nodemailer';
import { DomainError } from '../common/domain-error';

// The one place that talks SMTP (nodemailer). Mails are plain text in UTF-8, the body base64
// encoded and the subject as RFC 2047 encoded words, which every mail client in a city hall reads.

export interface OutgoingMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  date: Date;
  headers?: Record<string, string>;
}

export interface SentMail {
  messageId: string;
  accepted: string[];
  rejected: string[];
}

export interface MailTransport {
  send(mail: OutgoingMail): Promise<SentMail>;
  close(): void;
}

const address = (value: unknown): string => (typeof value === 'string' ? value : (value as { address: string }).address);

export function smtpTransport(url: string): MailTransport {
  let transporter: nodemailer.Transporter;
  try {
    transporter = nodemailer.createTransport(url, {
      // A relay that does not answer should fail the attempt, not hang the run.
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 30_000,
    } as nodemailer.TransportOptions);
  } catch (error) {
    throw new DomainError('smtp_url_invalid', `SMTP_URL を解釈できません: ${error instanceof Error ? error.message : String(error)}`);
  }
  return {
    async send(mail) {
      const info = await transporter.sendMail({
        from: mail.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        date: mail.date,
        headers: mail.headers,
        textEncoding: 'base64',
      });
      return { messageId: info.messageId, accepted: (info.accepted ?? []).map(address), rejected: (info.rejected ?? []).map(address) };
    },
    close() {
      transporter.close();
    },
  };
}
