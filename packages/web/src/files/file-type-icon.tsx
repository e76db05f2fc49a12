import type { FileMime } from '@enclave/protocol';
import { kindOf, tagOf } from './file-kinds';

/** A page with a folded corner in its family's colour and a short tag ("PDF", "TXT"); the name beside it says the rest. */
export function FileTypeIcon({ mime }: { mime: FileMime }) {
  const tag = tagOf(mime);
  return (
    <svg className={`file-icon file-icon--${kindOf(mime)}`} viewBox="0 0 32 40" aria-hidden="true">
      <path className="file-icon__page" d="M3 1h18l8 8v28a2 2 0 01-2 2H3a2 2 0 01-2-2V3a2 2 0 012-2z" />
      <path className="file-icon__fold" d="M21 1v6a2 2 0 002 2h6" />
      <text className="file-icon__tag" x="15" y="29" textAnchor="middle" textLength={tag.length > 3 ? 24 : undefined} lengthAdjust="spacingAndGlyphs">
        {tag}
      </text>
    </svg>
  );
}
