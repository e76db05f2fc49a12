/**
 * What other features may ask of compliance search (dependency rule no-reading-another-features-tables): a room's
 * erasure, and the retention purge's erasure of messages, remove their records and hashed terms with the rest.
 */
export { deleteMessageRecords, deleteRoomRecords } from './records-search.repository';
