import { DEFAULT_EMAIL_NOTIFICATIONS, DEFAULT_FILE_POLICY, DEFAULT_PASSWORD_MIN_LENGTH, DEFAULT_SEND_GUARD, DEFAULT_URGENT_POLICY, type AdminSettings } from '@enclave/protocol';
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor';
import { recordAudit } from '../audit/audit.service';
import { AppError } from '../http/app-error';
import type { LabelsService } from '../labels/labels.service';
import { NodeCache, type SharedCaches } from '../node-cache';
import type { Database } from '../db/schema';
import { readSettingValues, writeSettingValue } from './settings.repository';

/** The settings row that makes two-factor sign-in compulsory; the session lookup reads it directly. */
export const REQUIRE_TWO_FACTOR_KEY = 'requireTwoFactor';

const defaults: AdminSettings = {
  requireTwoFactor: false,
  recallWindowSeconds: 120,
  sendGuard: DEFAULT_SEND_GUARD,
  guestMaxClearance: 'internal',
  files: DEFAULT_FILE_POLICY,
  passwordMinLength: DEFAULT_PASSWORD_MIN_LENGTH,
  recallReachesCopies: true,
  archiveBeforeRoomDeletion: true,
  urgent: DEFAULT_URGENT_POLICY,
  emailNotifications: DEFAULT_EMAIL_NOTIFICATIONS,
};
const keys: Record<keyof AdminSettings, string> = {
  requireTwoFactor: REQUIRE_TWO_FACTOR_KEY,
  recallWindowSeconds: 'recallWindowSeconds',
  sendGuard: 'sendGuard',
  guestMaxClearance: 'guestMaxClearance',
  files: 'files',
  passwordMinLength: 'passwordMinLength',
  recallReachesCopies: 'recallReachesCopies',
  archiveBeforeRoomDeletion: 'archiveBeforeRoomDeletion',
  urgent: 'urgentPolicy',
  emailNotifications: 'emailNotifications',
};


/** Organisation-wide settings, one JSON value per row. */
export class SettingsService {
  private readonly sendingCopy = new NodeCache(10_000, () => this.getSettings());

  constructor(
    private readonly db: Kysely<Database>,
    private readonly labels: LabelsService,
    caches: SharedCaches,
    /** Whether the operator configured an SMTP server: without one, e-mail notifications cannot be turned on. */
    private readonly emailConfigured: boolean,
  ) {
    caches.share('settings', this.sendingCopy);
  }

  /** The settings as every send and upload consults them (the guard, the file policy): kept for a few seconds, not read per message. */
  forSending(): Promise<AdminSettings> {
    return this.sendingCopy.get();
  }

  async getSettings(): Promise<AdminSettings> {
    const values = await readSettingValues(this.db);
    const settings = { ...defaults };
    for (const [name, key] of Object.entries(keys) as [keyof AdminSettings, string][]) {
      const stored = values.get(key);
      if (stored === undefined) continue;
      const value = JSON.parse(stored) as AdminSettings[typeof name];
      // A policy saved before one of its fields existed reads with that field's default (the guard's `files`).
      const fallback = defaults[name];
      Object.assign(settings, { [name]: typeof fallback === 'object' && fallback !== null ? { ...fallback, ...(value as object) } : value });
    }
    return settings;
  }

  async updateSettings(actor: Actor, changes: Partial<AdminSettings>): Promise<AdminSettings> {
    const ranks = await this.labels.ranks();
    if (changes.guestMaxClearance !== undefined) ranks.rankOf(changes.guestMaxClearance);
    if (changes.sendGuard?.labelAtOrAbove) ranks.rankOf(changes.sendGuard.labelAtOrAbove);
    if (changes.emailNotifications?.enabled === true && !this.emailConfigured) throw new AppError('EMAIL_NOT_CONFIGURED');
    await this.db.transaction().execute(async (trx) => {
      for (const [name, value] of Object.entries(changes) as [keyof AdminSettings, AdminSettings[keyof AdminSettings] | undefined][]) {
        if (value !== undefined) await writeSettingValue(trx, keys[name], JSON.stringify(value));
      }
      await recordAudit(trx, { actorId: actor.userId, action: 'settings.updated', target: { type: 'settings', id: 'organisation' }, data: changes, ip: actor.ip });
    });
    this.sendingCopy.clear();
    return this.getSettings();
  }
}
