/** UTF-16 indices into the scanned text, end exclusive. */
export type Span = readonly [start: number, end: number];
