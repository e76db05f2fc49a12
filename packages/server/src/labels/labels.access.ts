/**
 * The queries on this feature's tables (labels, ceilings and clearances) that other features may run; everything else in its repository stays
 * private to it. Another feature imports these from here, never from the repository, so the owner sees in one
 * place what others rely on (dependency rule no-reading-another-features-tables).
 */
export { ceilingsOfUserRooms, clearancesOf, labelMarked, labelWithinClearance, memberClearances } from './labels.repository';
