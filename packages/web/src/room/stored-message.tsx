import { itemMarked, type Message } from '@enclave/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../app/api';
import { useChat } from '../chat/chat-context';
import { mentions } from '../chat/chat-state';
import { LabelChip } from '../labels/label-chip';
import { useLabels } from '../labels/labels-context';
import { usePeople } from '../people/people-context';
import { CopiedFrom } from '../protection/copied-from';
import { ForwardedFrom } from '../protection/forwarded-from';
import { copyForbidden, forwardForbidden, mayRestrict } from '../protection/message-policy';
import { useOutbox } from '../protection/outbox-context';
import { RestrictionLock } from '../protection/restriction-lock';
import { useMe, useSession } from '../session/session-context';
import { MessageWatermark } from '../tracing/message-watermark';
import { useFormatTime } from '../ui/use-format-time';
import { UrgentMark } from '../urgent/urgent-mark';
import { MessageActions } from './message-actions';
import { MessageContent } from './message-content';
import { MessageEditor } from './message-editor';
import { MessageItem } from './message-item';
import { ReactionChips } from './reaction-chips';
import { readStatusOf } from './read-status';
import { ReadStatusButton } from './read-status-button';
import { useRoomUi } from './room-ui-context';
import { FOCUSED_CLASS } from './use-scroll-anchor';

/**
 * A stored message of the open room, in its timeline or in the thread panel, with everything one can do to it.
 * `focused`: the message a search result opened, marked for a moment.
 */
export function StoredMessage({ message, continued, inThread, focused = false }: { message: Message; continued: boolean; inThread: boolean; focused?: boolean }) {
  const { t } = useTranslation();
  const me = useMe();
  const { recallWindowSeconds, recallReachesCopies } = useSession();
  const people = usePeople();
  const chat = useChat();
  const outbox = useOutbox();
  const ui = useRoomUi();
  const format = useFormatTime();
  const labels = useLabels();
  const [error, setError] = useState<string | undefined>();
  const sender = people.byId.get(message.senderId);
  const mine = message.senderId === me.id;
  const editing = ui.editingId === message.id;
  const frozen = ui.room.frozen !== null;
  const fail = (failure: unknown) => setError(describeError(failure));
  const readStatus = readStatusOf(message, ui.room, chat.state.readPositions[message.roomId], me.id);
  const label = labels.byId.get(message.label);
  const gone = message.deleted || message.recalled;
  const marked = !gone && !message.unreadable && itemMarked(ui.room, label?.marked ?? false);
  const classes = [
    !mine && mentions(message, me.id) ? 'message--mentions-me' : '',
    message.deleted || message.recalled ? 'message--deleted' : '',
    message.pinned ? 'message--pinned' : '',
    message.urgent && !gone ? 'message--urgent' : '',
    focused ? FOCUSED_CLASS : '',
  ];

  const body = message.deleted ? (
    <p className="message__text message__text--deleted">{t('conversation.deleted')}</p>
  ) : message.recalled ? (
    <p className="message__text message__text--deleted">{t(mine ? 'recall.recalledByMe' : 'recall.recalled')}</p>
  ) : message.unreadable ? (
    <p className="message__text message__text--deleted">{t('conversation.unreadable')}</p>
  ) : editing ? (
    <MessageEditor
      initial={message.text}
      onCancel={() => ui.setEditingId(undefined)}
      onSave={async (text) => {
        if ((await outbox.edit(message, text)) !== 'cancelled') ui.setEditingId(undefined);
      }}
    />
  ) : (
    <MessageContent message={message} />
  );

  const replyMarker = !inThread && message.threadRootId && message.alsoInRoom && (
    <button type="button" className="link-button message__reply-marker" onClick={() => message.threadRootId && ui.openThread(message.threadRootId)}>
      {t('conversation.repliedInThread')}
    </button>
  );

  return (
    <MessageItem
      sender={sender}
      senderGuest={message.senderGuest}
      createdAt={message.createdAt}
      continued={continued && !replyMarker}
      className={classes.filter(Boolean).join(' ')}
      noCopy={!gone && copyForbidden(message, ui.room, label)}
      traceMessageId={marked ? message.id : undefined}
      overlay={marked && !ui.room.marked && <MessageWatermark messageId={message.id} />}
      body={body}
      before={
        <>
          {replyMarker}
          {message.urgent && !gone && <UrgentMark reason={message.urgent.reason} />}
          {message.pinned && !gone && <span className="message__pin-flag">📌 {t('conversation.pinned')}</span>}
          {message.forwardedFrom && !gone && <ForwardedFrom provenance={message.forwardedFrom} />}
          {message.copiedFrom && !gone && <CopiedFrom provenance={message.copiedFrom} />}
        </>
      }
      note={
        <>
          {!gone && <RestrictionLock restrictions={message.restrictions} />}
          {/* Only labels above the room's default stand out; every label is in the time's tooltip. */}
          {labels.isAbove(message.label, ui.room.defaultLabel) && <LabelChip labelId={message.label} />}
          {message.editedAt && !message.deleted && !message.recalled && <span className="message__edited">{t('conversation.edited')}</span>}
        </>
      }
      detail={t('labels.labelled', { name: labels.nameOf(message.label) })}
      after={
        <>
          {!message.deleted && !message.recalled && <ReactionChips message={message} onToggle={(emoji, on) => chat.setReaction(message.id, emoji, on).catch(fail)} />}
          {!inThread && message.threadRootId === null && message.replyCount > 0 && (
            <div className="thread-summary">
              <button type="button" className="link-button" onClick={() => ui.openThread(message.id)}>
                {t('conversation.replies', { count: message.replyCount })}
              </button>
              {message.lastReplyAt && <span className="muted">{t('conversation.lastReply', { time: format.time(message.lastReplyAt) })}</span>}
            </div>
          )}
          {readStatus && <ReadStatusButton message={message} status={readStatus} />}
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
        </>
      }
      actions={
        !editing && (
          <MessageActions
            message={message}
            senderName={sender?.displayName ?? t('common.someone')}
            mine={mine}
            frozen={frozen}
            onReplyInThread={inThread || message.threadRootId !== null ? undefined : () => ui.openThread(message.id)}
            onReact={(emoji) => {
              const already = message.reactions.some((r) => r.emoji === emoji && r.userIds.includes(me.id));
              chat.setReaction(message.id, emoji, !already).catch(fail);
            }}
            onEdit={() => ui.setEditingId(message.id)}
            onDelete={() => chat.deleteMessage(message.id)}
            onRecall={() => {
              setError(undefined);
              chat.recallMessage(message.id).catch(fail);
            }}
            onRecallWithCopies={
              recallReachesCopies
                ? () => {
                    setError(undefined);
                    chat.recallMessage(message.id, true).catch(fail);
                  }
                : undefined
            }
            recallWindowSeconds={recallWindowSeconds}
            onTogglePin={() => chat.setPinned(message.id, !message.pinned).catch(fail)}
            canForward={!forwardForbidden(message, ui.room, label)}
            canRestrict={mayRestrict(message, ui.room, me.id)}
          />
        )
      }
    />
  );
}
