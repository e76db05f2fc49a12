/**
 * The queries on this feature's tables (rooms and memberships) that other features may run; everything else in its repository stays
 * private to it. Another feature imports these from here, never from the repository, so the owner sees in one
 * place what others rely on (dependency rule no-reading-another-features-tables).
 */
export { findRoom, findRooms, memberPeriods, refreshGuestCountsOf, roomIdsOfUser } from './rooms.repository';
export { toWireRoom } from './room-wire';
export { roomNames, withRoomTexts } from './room-names';
export { openRoomRows } from './room-text.codec';
