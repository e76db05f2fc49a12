import { z } from 'zod';

/** Organisation-wide settings an administrator controls. */
export const AdminSettings = z.object({
  /** Everyone must turn on two-factor sign-in before using Enclave. */
  requireTwoFactor: z.boolean(),
  /** How long after sending its author may recall a message; 0 turns recall off. */
  recallWindowSeconds: z.number().int().min(0).max(86_400),
});
export type AdminSettings = z.infer<typeof AdminSettings>;
export const AdminSettingsUpdateRequest = AdminSettings.partial().refine((v) => Object.keys(v).length > 0, 'nothing to change');
export const AdminSettingsResponse = z.object({ settings: AdminSettings });
