import { z } from 'zod';

/**
 * Whether people get an e-mail about mentions and direct messages they missed, and how soon. Off on a fresh install:
 * an administrator turns it on once the operator has configured the organisation's SMTP server.
 */
export const EmailNotificationPolicy = z.object({
  enabled: z.boolean(),
  /** How long a mention or direct message stays unseen, the person away, before the digest goes. */
  delayMinutes: z.number().int().min(1).max(24 * 60),
  /**
   * Whether the digest names the rooms (rooms whose ceiling is above internal are never named); false says counts
   * only.
   */
  namesRooms: z.boolean(),
});
export type EmailNotificationPolicy = z.infer<typeof EmailNotificationPolicy>;
export const DEFAULT_EMAIL_NOTIFICATIONS: EmailNotificationPolicy = { enabled: false, delayMinutes: 15, namesRooms: true };

export const EmailAddress = z.email().max(254);

/** Where and whether I get digests: the address is set by an administrator, the choice is mine. */
export const MyEmailNotificationsResponse = z.object({
  /** The address an administrator gave me, or null. */
  address: EmailAddress.nullable(),
  /** My own choice; on unless I switched it off. */
  enabled: z.boolean(),
  /** Whether digests would reach me now: the organisation has them on, SMTP is configured, I have an address and my choice is on. */
  active: z.boolean(),
});
export const MyEmailNotificationsUpdateRequest = z.object({ enabled: z.boolean() });

/**
 * The address a person's digests go to. Only an administrator sets it, so nobody can send the organisation's room
 * names to a mailbox of their own choosing.
 */
export const UserEmailAddressRequest = z.object({ address: EmailAddress.nullable() });
export const UserEmailAddressResponse = z.object({ address: EmailAddress.nullable() });

/** What an administrator may know of the SMTP configuration: never the password. */
export const EmailNotificationsStatusResponse = z.object({
  smtp: z.object({
    configured: z.boolean(),
    host: z.string().nullable(),
    port: z.number().int().nullable(),
    security: z.enum(['tls', 'starttls', 'none']).nullable(),
    from: z.string().nullable(),
    /** Whether a user name (and password) is configured; neither is ever shown. */
    authenticated: z.boolean(),
  }),
});
/** Sends a test e-mail to the asking administrator's own address: EMAIL_DELIVERY_FAILED says why it did not go. */
export const EmailTestResponse = z.object({ sentTo: EmailAddress });
