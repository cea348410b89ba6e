import nodemailer from 'nodemailer';
import type { Logger } from './logger';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

export interface MailerConfig {
  SMTP_HOST?: string;
  SMTP_PORT: number;
  SMTP_SECURE: boolean;
  SMTP_USER?: string;
  SMTP_PASSWORD?: string;
  MAIL_FROM: string;
}

/**
 * SMTP through nodemailer. Without SMTP_HOST (development on a bare machine) messages are written to the log
 * instead, so sign-up and password-reset links can still be followed.
 */
export function createMailer(config: MailerConfig, logger: Logger): Mailer {
  if (!config.SMTP_HOST) {
    return {
      async send(message) {
        logger.info('mail (no SMTP_HOST configured, not sent)', {
          to: message.to,
          subject: message.subject,
          body: message.text,
        });
      },
      close() {},
    };
  }
  const transport = nodemailer.createTransport({
    host: config.SMTP_HOST,
    port: config.SMTP_PORT,
    secure: config.SMTP_SECURE,
    auth: config.SMTP_USER ? { user: config.SMTP_USER, pass: config.SMTP_PASSWORD ?? '' } : undefined,
  });
  return {
    async send(message) {
      await transport.sendMail({ from: config.MAIL_FROM, ...message });
    },
    close() {
      transport.close();
    },
  };
}
