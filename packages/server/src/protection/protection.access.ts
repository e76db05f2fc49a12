/**
 * The queries on this feature's tables (held messages) that other features may run; everything else in its repository stays
 * private to it. Another feature imports these from here, never from the repository, so the owner sees in one
 * place what others rely on (dependency rule no-reading-another-features-tables).
 */
export { countPlainHeld, decideHeld, findHeld, listHeld, plainHeld, reopenHeld, replacePlainHeld, setHeldMessageId, type HeldRow } from './held-messages.repository';
