/** `@all` mentions everyone in the room; any other `@name` a member by username. */
export const MENTION_ALL = 'all';

export interface ParsedMentions {
  usernames: string[];
  all: boolean;
}

// A mention starts the text or follows a character that cannot be part of a word or an e-mail address.
const mentionPattern = /(?<![\p{L}\p{N}._@-])@([a-z0-9][a-z0-9._-]{1,31})/gu;

/** The usernames a text mentions, lower-cased and without repeats, and whether it mentions everyone. */
export function parseMentions(text: string): ParsedMentions {
  const usernames = new Set<string>();
  let all = false;
  for (const match of text.toLowerCase().matchAll(mentionPattern)) {
    // A sentence may end right after a name: "thanks @li.wei." mentions li.wei.
    const name = match[1]!.replace(/[._-]+$/, '');
    if (name === MENTION_ALL) all = true;
    else if (name.length >= 2) usernames.add(name);
  }
  return { usernames: [...usernames], all };
}
