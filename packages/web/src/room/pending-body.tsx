import type { PendingMessage } from '../chat/chat-state';
import { PendingFiles } from '../files/pending-files';
import { MessageText } from './message-text';

/** What a message of mine shows until the server stores it: its text, and the names of the files it carries. */
export function PendingBody({ message }: { message: PendingMessage }) {
  return (
    <>
      {message.text !== '' && <MessageText message={message} />}
      <PendingFiles files={message.files ?? []} />
    </>
  );
}
