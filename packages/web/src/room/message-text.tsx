import type { Message } from '@enclave/protocol';
import { Fragment } from 'react';
import { CodeBlock } from '../markdown/code-block';
import { MessageMarkdown, type MarkdownRenderers } from '../markdown/message-markdown';
import { usePeople } from '../people/people-context';
import { useMe } from '../session/session-context';
import { mentionPieces, type MentionKind } from './mention-pieces';

/**
 * A message's text as Markdown (`markdown-parser.ts` says what is understood), with @mentions of known people (and
 * @all) set off in its text; mentions of me stand out more. Code shows its @names as typed.
 */
export function MessageText({ message }: { message: Pick<Message, 'text'> }) {
  const me = useMe();
  const people = usePeople();
  const kindOf = (username: string): MentionKind | null => {
    if (username === 'all' || username === me.username) return 'me';
    return people.list.some((user) => user.username === username) ? 'other' : null;
  };
  const renderers: MarkdownRenderers = {
    text: (text) =>
      mentionPieces(text, kindOf).map((piece, index) =>
        piece.mention ? (
          <span key={index} className={`mention${piece.mention === 'me' ? ' mention--me' : ''}`}>
            {piece.text}
          </span>
        ) : (
          <Fragment key={index}>{piece.text}</Fragment>
        ),
      ),
    code: (code, language) => <CodeBlock code={code} language={language} />,
  };
  return (
    <div className="message__text">
      <MessageMarkdown text={message.text} renderers={renderers} />
    </div>
  );
}
