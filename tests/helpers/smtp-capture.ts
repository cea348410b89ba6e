import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CapturedMail {
  /** Envelope recipients (RCPT TO), lower-cased. */
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  receivedAt: Date;
}

export interface SmtpCapture {
  host: string;
  port: number;
  /** Accepted messages, in arrival order. */
  readonly messages: CapturedMail[];
  /** Messages answered with a temporary SMTP error (see failNext). */
  readonly rejected: CapturedMail[];
  /** Answers the next `times` messages matching `match` (all when omitted) with `451 Try again later`. */
  failNext(times: number, match?: (mail: CapturedMail) => boolean): void;
  /** Accepted messages matching the predicate. */
  find(predicate: (mail: CapturedMail) => boolean): CapturedMail[];
  /** Resolves with the first accepted message matching the predicate (already received or arriving later). */
  waitFor(predicate: (mail: CapturedMail) => boolean, timeoutMs?: number): Promise<CapturedMail>;
  close(): Promise<void>;
}

function addressesOf(value: AddressObject | AddressObject[] | undefined): string {
  if (!value) return '';
  return (Array.isArray(value) ? value : [value]).map((a) => a.text).join(', ');
}

/**
 * A real SMTP server on 127.0.0.1 (free port, no TLS, any or no auth) that parses every message with mailparser.
 * Point SMTP_HOST/SMTP_PORT at it; the application's nodemailer transport talks to it as to any relay.
 */
export async function startSmtpCapture(): Promise<SmtpCapture> {
  const messages: CapturedMail[] = [];
  const rejected: CapturedMail[] = [];
  const failures: Array<{ remaining: number; match: (mail: CapturedMail) => boolean }> = [];
  const waiters = new Set<{
    predicate: (mail: CapturedMail) => boolean;
    resolve: (mail: CapturedMail) => void;
  }>();

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    onAuth(_auth, _session, callback) {
      callback(null, { user: 'test' });
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const mail: CapturedMail = {
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            from: addressesOf(parsed.from),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            receivedAt: new Date(),
          };
          const failure = failures.find((f) => f.remaining > 0 && f.match(mail));
          if (failure) {
            failure.remaining -= 1;
            rejected.push(mail);
            const error = Object.assign(new Error('Try again later'), { responseCode: 451 });
            callback(error);
            return;
          }
          messages.push(mail);
          for (const waiter of waiters) {
            if (waiter.predicate(mail)) {
              waiters.delete(waiter);
              waiter.resolve(mail);
            }
          }
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', () => undefined);
  const { port } = server.server.address() as AddressInfo;

  return {
    host: '127.0.0.1',
    port,
    messages,
    rejected,
    failNext(times, match = () => true) {
      failures.push({ remaining: times, match });
    },
    find(predicate) {
      return messages.filter(predicate);
    },
    waitFor(predicate, timeoutMs = 10_000) {
      const existing = messages.find(predicate);
      if (existing) return Promise.resolve(existing);
      return new Promise<CapturedMail>((resolve, reject) => {
        const waiter = {
          predicate,
          resolve: (mail: CapturedMail) => {
            clearTimeout(timer);
            resolve(mail);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching e-mail within ${timeoutMs} ms (${messages.length} received)`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    close() {
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Predicate: the message was sent to this address. */
export const sentTo =
  (address: string) =>
  (mail: CapturedMail): boolean =>
    mail.to.includes(address.toLowerCase());
