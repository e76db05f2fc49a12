import { FileStore } from '../files/file-store';
import { fileUpgradeStep } from '../files/file-upgrade';
import { messageUpgradeSteps } from '../messages/message-upgrade';
import { roomUpgradeSteps } from '../rooms/room-upgrade';
import type { UpgradeStep } from './upgrade-step';

/**
 * Every kind of content this version seals in place on an installation from before encryption, in the order the
 * upgrade runs them. A feature that stores content adds its step here; a step's name is recorded once it has
 * nothing plain left, so a step added in a later version runs on installations that finished the earlier ones.
 */
export function upgradeSteps(config: { filesDir: string }): readonly UpgradeStep[] {
  return [...messageUpgradeSteps, fileUpgradeStep(new FileStore(config.filesDir)), ...roomUpgradeSteps];
}
