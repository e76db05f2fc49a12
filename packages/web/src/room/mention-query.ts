import type { User } from '@enclave/protocol';

/** The `@word` being typed just before the caret, if any: where its @ is and what follows it. */
export function mentionQueryAt(text: string, caret: number): { start: number; query: string } | undefined {
  const match = /(^|[^\w@])@([a-z0-9._-]*)$/i.exec(text.slice(0, caret));
  if (!match) return undefined;
  const query = match[2] ?? '';
  return { start: caret - query.length - 1, query: query.toLowerCase() };
}

/** Members whose username or display name starts with the query (or has a word that does), best first. */
export function suggestMentions(members: User[], query: string, myId: string, limit = 6): User[] {
  const starts = (value: string) => value.toLowerCase().startsWith(query);
  const words = (value: string) => value.toLowerCase().split(/\s+/).some((word) => word.startsWith(query));
  const candidates = members.filter((user) => user.id !== myId && !user.disabled);
  const first = candidates.filter((user) => starts(user.username) || starts(user.displayName));
  const then = candidates.filter((user) => !first.includes(user) && words(user.displayName));
  return [...first, ...then].slice(0, limit);
}

/** The text with the typed `@query` replaced by the chosen name and a space, and where the caret goes. */
export function insertMention(text: string, start: number, caret: number, username: string): { text: string; caret: number } {
  const inserted = `@${username} `;
  return { text: text.slice(0, start) + inserted + text.slice(caret), caret: start + inserted.length };
}
