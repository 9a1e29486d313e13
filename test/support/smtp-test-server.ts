import type { AddressInfo } from 'node:net';
import { SMTPServer, SMTPServerAddress, SMTPServerSession } from 'smtp-server';

// A real SMTP server for the reminder tests (smtp-server, in this process on 127.0.0.1:0). It
// keeps every message as received and can refuse recipients, always or only the first times.

export interface ReceivedMail {
  envelopeFrom: string;
  envelopeTo: string[];
  raw: string;
}

export interface TestSmtpServer {
  url: string;
  received: ReceivedMail[];
  /** RCPT TO attempts per address, refused ones included. */
  rcptAttempts: Map<string, number>;
  close(): Promise<void>;
}

export interface RefusalRules {
  /** Always answer 550 for these addresses. */
  refuse?: (address: string) => boolean;
  /** Answer 451 (try again later) this many times, then accept. */
  busyTimes?: (address: string) => number;
}

export async function startSmtpServer(rules: RefusalRules = {}): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const rcptAttempts = new Map<string, number>();
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onRcptTo(address: SMTPServerAddress, _session: SMTPServerSession, callback: (error?: Error | null) => void) {
      const count = (rcptAttempts.get(address.address) ?? 0) + 1;
      rcptAttempts.set(address.address, count);
      if (rules.refuse?.(address.address)) {
        callback(Object.assign(new Error('550 mailbox unavailable'), { responseCode: 550 }));
        return;
      }
      if (count <= (rules.busyTimes?.(address.address) ?? 0)) {
        callback(Object.assign(new Error('451 try again later'), { responseCode: 451 }));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          envelopeTo: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw: Buffer.concat(chunks).toString('latin1'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    rcptAttempts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Headers (unfolded, names lower-cased) and the body of a raw message. */
export function parseMessage(raw: string): { headers: Map<string, string>; body: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body: raw.slice(split + 4) };
}

/** RFC 2047 encoded words (UTF-8, B or Q) back to text; whitespace between encoded words is dropped. */
export function decodeEncodedWords(value: string): string {
  const words = value.replace(/\?=\s+=\?/g, '?==?');
  const bytes: Buffer[] = [];
  let rest = words;
  let out = '';
  const flush = () => {
    if (bytes.length) out += Buffer.concat(bytes.splice(0)).toString('utf8');
  };
  const pattern = /^=\?utf-8\?([bq])\?([^?]*)\?=/i;
  while (rest.length) {
    const match = pattern.exec(rest);
    if (match) {
      const data = match[1].toLowerCase() === 'b'
        ? Buffer.from(match[2], 'base64')
        : Buffer.from(match[2].replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
      bytes.push(data);
      rest = rest.slice(match[0].length);
    } else {
      flush();
      out += rest[0];
      rest = rest.slice(1);
    }
  }
  flush();
  return out;
}
