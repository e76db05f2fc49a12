/**
 * What other features may ask of compliance search (dependency rule no-reading-another-features-tables): a room's
 * erasure, and the retention purge's erasure of messages, remove their records and hashed terms with the rest;
 * an export reads a held item's files as the records index does.
 */
export { deleteMessageRecords, deleteRoomRecords } from './records-search.repository';
export { heldFileIds } from './records-index';
