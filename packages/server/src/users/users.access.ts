/**
 * The queries on this feature's tables (people) that other features may run; everything else in its repository stays
 * private to it. Another feature imports these from here, never from the repository, so the owner sees in one
 * place what others rely on (dependency rule no-reading-another-features-tables).
 */
export { findExistingUserIds, findPreferences, findUserByUsername, findUserRowById, guestsAmong, sharesRoom, updateUser, type UserRow } from './users.repository';
