import type { SearchResult } from '@enclave/protocol';
import { Fragment } from 'react';
import { excerptOf, markedPieces } from './excerpt';

/** A result's text, cut around the first match when long, with the matched words marked. */
export function HighlightedText({ text, highlights }: { text: string; highlights: SearchResult['highlights'] }) {
  const excerpt = excerptOf(text, highlights);
  return (
    <p className="search-result__text">
      {excerpt.clippedStart && '…'}
      {markedPieces(excerpt.text, excerpt.highlights).map((piece, index) => (piece.marked ? <mark key={index}>{piece.text}</mark> : <Fragment key={index}>{piece.text}</Fragment>))}
      {excerpt.clippedEnd && '…'}
    </p>
  );
}
