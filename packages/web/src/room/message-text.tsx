import type { Message } from '@enclave/protocol';
import { Fragment } from 'react';
import { usePeople } from '../people/people-context';
import { useMe } from '../session/session-context';

/** The same shape the server parses: @ then a username, not glued to a word before it. */
const MENTION = /(^|[^\w@])@([a-z0-9][a-z0-9._-]*)/g;

/** A message's text with @mentions of known people (and @all) set off; mentions of me stand out more. */
export function MessageText({ message }: { message: Pick<Message, 'text'> }) {
  const me = useMe();
  const people = usePeople();
  const parts: { text: string; mention?: 'me' | 'other' }[] = [];
  let last = 0;
  for (const match of message.text.matchAll(MENTION)) {
    const username = (match[2] ?? '').replace(/[._-]+$/, '');
    const start = (match.index ?? 0) + (match[1]?.length ?? 0);
    const known = username === 'all' || people.list.some((user) => user.username === username);
    if (!known) continue;
    parts.push({ text: message.text.slice(last, start) });
    parts.push({ text: `@${username}`, mention: username === 'all' || username === me.username ? 'me' : 'other' });
    last = start + 1 + username.length;
  }
  parts.push({ text: message.text.slice(last) });
  return (
    <p className="message__text">
      {parts.map((part, index) =>
        part.mention ? (
          <span key={index} className={`mention${part.mention === 'me' ? ' mention--me' : ''}`}>
            {part.text}
          </span>
        ) : (
          <Fragment key={index}>{part.text}</Fragment>
        ),
      )}
    </p>
  );
}
