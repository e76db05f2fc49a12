/**
 * What other features may ask of compliance search (dependency rule no-reading-another-features-tables): a room's
 * erasure removes the room's records and their hashed terms with everything else of the room.
 */
export { deleteRoomRecords } from './records-search.repository';
