import type { EmailNotificationPolicy, User } from '@enclave/protocol';
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor';
import { recordAudit } from '../audit/audit.service';
import type { Database } from '../db/schema';
import { AppError } from '../http/app-error';
import { findDigestRow, upsertDigestRow } from './email-notifications.repository';
import { EmailDeliveryError, smtpPortOf, type SmtpMailer, type SmtpSettings } from './smtp-mailer';

export interface EmailNotificationsDeps {
  db: Kysely<Database>;
  /** Undefined when the operator configured no SMTP server. */
  mailer: SmtpMailer | undefined;
  smtp: SmtpSettings;
  policy: () => Promise<EmailNotificationPolicy>;
  /** Loads a person, USER_NOT_FOUND when there is none. */
  requireUser: (userId: string) => Promise<User>;
  logHead: () => Promise<number>;
}

interface MyEmailNotifications {
  address: string | null;
  enabled: boolean;
  active: boolean;
}

/** Who gets e-mail digests and where: addresses are an administrator's to set, the choice to get them each person's own. */
export class EmailNotificationsService {
  constructor(private readonly deps: EmailNotificationsDeps) {}

  async getMine(actor: Actor): Promise<MyEmailNotifications> {
    const row = await findDigestRow(this.deps.db, actor.userId);
    const address = row?.address ?? null;
    const enabled = !(row?.optedOut ?? false);
    const policy = await this.deps.policy();
    return { address, enabled, active: enabled && address !== null && policy.enabled && this.deps.mailer !== undefined };
  }

  /** Switching back on starts from now: what was unread before is not mailed about. */
  async updateMine(actor: Actor, enabled: boolean): Promise<MyEmailNotifications> {
    const head = await this.deps.logHead();
    await this.deps.db.transaction().execute(async (trx) => {
      await upsertDigestRow(trx, actor.userId, { opted_out: enabled ? 0 : 1 }, head);
      await recordAudit(trx, { actorId: actor.userId, action: 'email.preference_changed', target: { type: 'user', id: actor.userId }, data: { enabled }, ip: actor.ip });
    });
    return this.getMine(actor);
  }

  async getAddress(userId: string): Promise<{ address: string | null }> {
    await this.deps.requireUser(userId);
    return { address: (await findDigestRow(this.deps.db, userId))?.address ?? null };
  }

  /** The audit entry says whether an address was set or cleared, not which: the log is no address book. */
  async setAddress(actor: Actor, userId: string, address: string | null): Promise<{ address: string | null }> {
    await this.deps.requireUser(userId);
    const head = await this.deps.logHead();
    await this.deps.db.transaction().execute(async (trx) => {
      await upsertDigestRow(trx, userId, { address }, head);
      await recordAudit(trx, { actorId: actor.userId, action: 'email.address_set', target: { type: 'user', id: userId }, data: { cleared: address === null }, ip: actor.ip });
    });
    return { address };
  }

  /** The SMTP settings an administrator may see: the user name only as "set", the password never. */
  status() {
    const { smtp, mailer } = this.deps;
    return {
      smtp: {
        configured: mailer !== undefined,
        host: smtp.smtpHost ?? null,
        port: mailer ? smtpPortOf(smtp) : null,
        security: mailer ? smtp.smtpSecurity : null,
        from: smtp.smtpFrom ?? null,
        authenticated: smtp.smtpUser !== undefined,
      },
    };
  }

  /** A test e-mail to the administrator's own address, with the SMTP server's answer when it does not go. */
  async sendTest(actor: Actor): Promise<{ sentTo: string }> {
    const { mailer } = this.deps;
    if (!mailer) throw new AppError('EMAIL_NOT_CONFIGURED');
    const address = (await findDigestRow(this.deps.db, actor.userId))?.address;
    if (!address) throw new AppError('EMAIL_ADDRESS_MISSING');
    try {
      await mailer.send({ to: address, subject: 'Enclave: test e-mail', text: 'This test e-mail shows that Enclave can reach you through your organisation’s SMTP server.\n' });
    } catch (error) {
      if (error instanceof EmailDeliveryError) throw new AppError('EMAIL_DELIVERY_FAILED', { reason: error.reason });
      throw error;
    }
    await this.deps.db.transaction().execute(async (trx) => recordAudit(trx, { actorId: actor.userId, action: 'email.test_sent', target: { type: 'user', id: actor.userId }, ip: actor.ip }));
    return { sentTo: address };
  }
}
