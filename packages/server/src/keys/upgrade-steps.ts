import type { UpgradeStep } from './upgrade-step';

/**
 * Every kind of content this version seals in place on an installation from before encryption, in the order the
 * upgrade runs them. A feature that stores content adds its step here; a step's name is recorded once it has
 * nothing plain left, so a step added in a later version runs on installations that finished the earlier ones.
 */
export const upgradeSteps: readonly UpgradeStep[] = [];
