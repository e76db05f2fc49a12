/**
 * What other features may ask of people's search index (dependency rule no-reading-another-features-tables):
 * compliance search (records/) finds current messages through it rather than keeping a second copy of their terms.
 */
export { searchEveryRoom, type EveryRoomFilter, type RecordsNarrowing } from './search.repository';
export { searchTerms } from './search-index';
export { documentParts, documentWords } from './document-words';
export { MAX_QUERY_PHRASES, parseQuery } from './search-tokens';
export { isIndexTerm, type HashedQuery, type IndexTerm } from './search-terms';
