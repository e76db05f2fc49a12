import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../config';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  /** The same digest sent twice (a node stopped between the SMTP server's acceptance and recording it) keeps one id, so mail systems can tell. */
  messageId?: string;
}

/** Why the SMTP server or the connection refused an e-mail, in words safe to log and answer: never a credential. */
export class EmailDeliveryError extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

export type SmtpSettings = Pick<Config, 'smtpHost' | 'smtpPort' | 'smtpSecurity' | 'smtpUser' | 'smtpPassword' | 'smtpFrom'>;

/** The port a security mode is normally served on, when the operator names none. */
export function smtpPortOf(settings: SmtpSettings): number {
  return settings.smtpPort ?? (settings.smtpSecurity === 'tls' ? 465 : settings.smtpSecurity === 'starttls' ? 587 : 25);
}

/**
 * The only code that talks to the organisation's SMTP server. One connection per e-mail: digests are few and far
 * between, and a fresh connection never carries a broken one's state into the next send.
 */
export class SmtpMailer {
  private readonly transport: Transporter;

  constructor(private readonly settings: SmtpSettings & { smtpHost: string; smtpFrom: string }) {
    this.transport = nodemailer.createTransport({
      host: settings.smtpHost,
      port: smtpPortOf(settings),
      secure: settings.smtpSecurity === 'tls',
      requireTLS: settings.smtpSecurity === 'starttls',
      ignoreTLS: settings.smtpSecurity === 'none',
      ...(settings.smtpUser !== undefined ? { auth: { user: settings.smtpUser, pass: settings.smtpPassword ?? '' } } : {}),
      // A relay that stops answering must not hold the job (and, on PostgreSQL, its lock) for long.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
  }

  async send(email: OutgoingEmail): Promise<void> {
    try {
      await this.transport.sendMail({ from: this.settings.smtpFrom, to: email.to, subject: email.subject, text: email.text, ...(email.messageId ? { messageId: email.messageId } : {}) });
    } catch (error) {
      throw new EmailDeliveryError(reasonOf(error));
    }
  }

  close(): void {
    this.transport.close();
  }
}

/** The mailer for a configuration, or none when the operator set no SMTP server (e-mail is then off). */
export function smtpMailerFor(config: SmtpSettings): SmtpMailer | undefined {
  if (config.smtpHost === undefined || config.smtpFrom === undefined) return undefined;
  return new SmtpMailer({ ...config, smtpHost: config.smtpHost, smtpFrom: config.smtpFrom });
}

/**
 * Nodemailer's code and the server's reply (`EAUTH: Invalid login: 535 …`, `ECONNECTION: connect ECONNREFUSED …`):
 * what an operator needs to fix the setting. The password is never part of either.
 */
function reasonOf(error: unknown): string {
  const { code, message } = error as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : String(error);
  return (typeof code === 'string' ? `${code}: ${text}` : text).slice(0, 500);
}
