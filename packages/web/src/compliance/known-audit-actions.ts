import { enAuditWords } from '../i18n/en';

/** Every action this client has words for (`family.action`), in the order en.ts lists them. */
export const KNOWN_AUDIT_ACTIONS: readonly string[] = Object.entries(enAuditWords.actions).flatMap(([family, actions]) => Object.keys(actions).map((action) => `${family}.${action}`));
