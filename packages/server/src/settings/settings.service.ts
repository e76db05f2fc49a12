import type { AdminSettings } from '@enclave/protocol';
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor';
import { recordAudit } from '../audit/audit.service';
import type { Database } from '../db/schema';
import { readSettingValues, writeSettingValue } from './settings.repository';

/** The settings row that makes two-factor sign-in compulsory; the session lookup reads it directly. */
export const REQUIRE_TWO_FACTOR_KEY = 'requireTwoFactor';

const defaults: AdminSettings = { requireTwoFactor: false, recallWindowSeconds: 120 };
const keys: Record<keyof AdminSettings, string> = { requireTwoFactor: REQUIRE_TWO_FACTOR_KEY, recallWindowSeconds: 'recallWindowSeconds' };

/** Organisation-wide settings, one JSON value per row; read from the database each time so every node agrees. */
export class SettingsService {
  constructor(private readonly db: Kysely<Database>) {}

  async getSettings(): Promise<AdminSettings> {
    const values = await readSettingValues(this.db);
    const settings = { ...defaults };
    for (const [name, key] of Object.entries(keys) as [keyof AdminSettings, string][]) {
      const stored = values.get(key);
      if (stored !== undefined) Object.assign(settings, { [name]: JSON.parse(stored) as AdminSettings[typeof name] });
    }
    return settings;
  }

  async updateSettings(actor: Actor, changes: Partial<AdminSettings>): Promise<AdminSettings> {
    await this.db.transaction().execute(async (trx) => {
      for (const [name, value] of Object.entries(changes) as [keyof AdminSettings, AdminSettings[keyof AdminSettings] | undefined][]) {
        if (value !== undefined) await writeSettingValue(trx, keys[name], JSON.stringify(value));
      }
      await recordAudit(trx, { actorId: actor.userId, action: 'settings.updated', target: { type: 'settings', id: 'organisation' }, data: changes, ip: actor.ip });
    });
    return this.getSettings();
  }
}
