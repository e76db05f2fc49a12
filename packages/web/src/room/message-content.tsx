import type { Message } from '@enclave/protocol';
import { MessageFiles } from '../files/message-files';
import { MessageText } from './message-text';

/** A stored message's text, if it has any, and the files it carries under it. */
export function MessageContent({ message }: { message: Message }) {
  return (
    <>
      {message.text !== '' && <MessageText message={message} />}
      {message.files.length > 0 && <MessageFiles message={message} />}
    </>
  );
}
