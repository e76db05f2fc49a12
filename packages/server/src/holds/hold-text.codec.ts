import type { Keyring } from '../keys/keyring';
import { isSealed, openText, sealText } from '../keys/sealed';

type HoldTextField = 'name' | 'description';

/**
 * A matter's name and description often name people and the dispute ("Dismissal of J. Smith"): they are sealed
 * with the installation's records key, like the audit log's content, so the database alone does not show them.
 * The associated data names the hold and field, so a value moved to another row does not open there.
 */
export function sealHoldText(keys: Keyring, holdId: string, field: HoldTextField, text: string): string {
  return keys.encrypting ? sealText(keys.key('records'), holdTextAad(holdId, field), text) : text;
}

export function openHoldText(keys: Keyring, holdId: string, field: HoldTextField, stored: string): string {
  // Plain only with encryption off (or while an installation is being sealed in place): keys.acceptsPlain.
  if (!isSealed(stored)) return keys.acceptsPlain ? stored : '';
  return openText(keys.key('records'), holdTextAad(holdId, field), stored);
}

function holdTextAad(holdId: string, field: HoldTextField): string {
  return `hold/${holdId}/${field}`;
}
