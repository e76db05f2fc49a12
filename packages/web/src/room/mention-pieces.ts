/** How a mention is set off: mentions of me (and @all) stand out more than mentions of someone else. */
export type MentionKind = 'me' | 'other';

export interface TextPiece {
  text: string;
  mention?: MentionKind;
}

/** The same shape the server parses: @ then a username, not glued to a word before it. */
const MENTION = /(^|[^\w@])@([a-z0-9][a-z0-9._-]*)/g;

/**
 * A run of plain text cut into pieces, the @mentions that `kindOf` recognises on their own. `kindOf` answers null
 * for a name that is no one's, which then stays plain text.
 */
export function mentionPieces(text: string, kindOf: (username: string) => MentionKind | null): TextPiece[] {
  const pieces: TextPiece[] = [];
  let last = 0;
  for (const match of text.matchAll(MENTION)) {
    const username = (match[2] ?? '').replace(/[._-]+$/, '');
    const start = (match.index ?? 0) + (match[1]?.length ?? 0);
    const mention = kindOf(username);
    if (!mention) continue;
    pieces.push({ text: text.slice(last, start) }, { text: `@${username}`, mention });
    last = start + 1 + username.length;
  }
  pieces.push({ text: text.slice(last) });
  return pieces.filter((piece) => piece.text !== '');
}
