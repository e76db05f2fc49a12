import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../app/api';
import { useChat } from '../chat/chat-context';
import { useAttachments } from '../files/use-attachments';
import { LabelPicker, useMessageLabel } from '../labels/label-picker';
import { usePeople } from '../people/people-context';
import { TypingLine } from '../presence/typing-line';
import { useOutbox } from '../protection/outbox-context';
import { SendNotices } from '../protection/send-notices';
import { UndoSendBar } from '../protection/undo-send-bar';
import { Composer } from '../room/composer';
import { MessageItem } from '../room/message-item';
import { PendingBody } from '../room/pending-body';
import { useRoomUi } from '../room/room-ui-context';
import { SidePanel } from '../room/side-panel';
import { StoredMessage } from '../room/stored-message';
import { FOCUSED_CLASS } from '../room/use-scroll-anchor';
import { useMe } from '../session/session-context';
import { FormError } from '../ui/form-error';

/**
 * One thread beside the room: its first message, the replies, and a composer that can also post to the room.
 * `focusId`: a reply a search result opened, brought into view and marked.
 */
export function ThreadPanel({ rootId, focusId, onClose }: { rootId: string; focusId?: string | undefined; onClose: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const people = usePeople();
  const chat = useChat();
  const outbox = useOutbox();
  const ui = useRoomUi();
  const roomId = ui.room.id;
  const [messageLabel, setMessageLabel] = useMessageLabel(ui.room);
  const attachments = useAttachments({ roomId, threadRootId: rootId, label: messageLabel });
  const [error, setError] = useState<string | undefined>();
  const [alsoToRoom, setAlsoToRoom] = useState(false);
  const root = chat.state.timelines[roomId]?.messages.find((message) => message.id === rootId);
  const thread = chat.state.threads[rootId];
  const loaded = thread?.loaded ?? false;
  const pending = (chat.state.pending[roomId] ?? []).filter((message) => message.threadRootId === rootId);
  const rootName = root ? (people.byId.get(root.senderId)?.displayName ?? t('common.someone')) : t('common.someone');

  const { loadThread } = chat;
  useEffect(() => {
    if (!loaded) loadThread(roomId, rootId).catch((failure: unknown) => setError(describeError(failure)));
  }, [roomId, rootId, loaded, loadThread]);

  const log = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (loaded && focusId) log.current?.querySelector(`.${FOCUSED_CLASS}`)?.scrollIntoView({ block: 'center' });
  }, [loaded, focusId]);

  return (
    <SidePanel title={t('thread.title')} closeLabel={t('thread.close')} onClose={onClose}>
      <div className="thread" role="log" aria-label={t('thread.label', { name: rootName })} ref={log}>
        {root && <StoredMessage message={root} continued={false} inThread />}
        <hr className="thread__rule" />
        {thread?.loaded && thread.messages.length === 0 && pending.length === 0 && <p className="muted side-panel__empty">{t('thread.noReplies')}</p>}
        {thread?.messages.map((message) => <StoredMessage key={message.id} message={message} continued={false} inThread focused={message.id === focusId} />)}
        {pending.map((message) => (
          <MessageItem
            key={message.clientId}
            sender={me}
            createdAt={message.createdAt}
            continued={false}
            body={<PendingBody message={message} />}
            status={message.error ? { failed: message.error, onRetry: () => outbox.retry(message) } : 'pending'}
          />
        ))}
      </div>
      <FormError message={error} />
      <TypingLine roomId={roomId} threadRootId={rootId} />
      <SendNotices roomId={roomId} threadRootId={rootId} />
      <UndoSendBar roomId={roomId} threadRootId={rootId} />
      <Composer
        key={rootId}
        roomId={roomId}
        threadRootId={rootId}
        label={t('thread.composerLabel')}
        placeholder={t('thread.composerLabel')}
        members={ui.members}
        canMentionAll={ui.room.myRole === 'owner' && ui.room.kind !== 'dm' && ui.room.memberCount > 2}
        disabledReason={ui.room.frozen ? t('roomState.frozenComposer') : undefined}
        onTyping={() => chat.sendTyping(roomId, rootId)}
        onSend={(text, files) => outbox.submit({ roomId, text, files, threadRootId: rootId, alsoSendToRoom: alsoToRoom, ...(messageLabel ? { label: messageLabel } : {}) })}
        attachments={attachments}
        beforeSend={<LabelPicker room={ui.room} value={messageLabel ?? ui.room.defaultLabel} onChange={setMessageLabel} disabled={ui.room.frozen !== null} />}
        extra={
          <label className="composer__also">
            <input type="checkbox" checked={alsoToRoom} onChange={(event) => setAlsoToRoom(event.target.checked)} />
            {t('thread.alsoSendToRoom')}
          </label>
        }
      />
    </SidePanel>
  );
}
