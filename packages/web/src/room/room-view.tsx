import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MessageFocus } from '../app/router';
import { useChat } from '../chat/chat-context';
import { linesShown } from '../chat/membership-lines';
import { DropOverlay } from '../files/drop-overlay';
import { RoomFilesPanel } from '../files/room-files-panel';
import { useAttachments } from '../files/use-attachments';
import { useFileDrop } from '../files/use-file-drop';
import { LabelPicker, useMessageLabel } from '../labels/label-picker';
import { RoomLabelBanner } from '../labels/room-label-banner';
import { usePresence } from '../presence/presence-context';
import { TypingLine } from '../presence/typing-line';
import { GuestBanner } from '../protection/guest-banner';
import { useOutbox } from '../protection/outbox-context';
import { SendNotices } from '../protection/send-notices';
import { UndoSendBar } from '../protection/undo-send-bar';
import { useRoomName } from '../rooms/use-room-name';
import { useMe } from '../session/session-context';
import { ThreadPanel } from '../threads/thread-panel';
import { useCopyMarks } from '../tracing/use-copy-marks';
import { useTraceMark } from '../tracing/use-trace-mark';
import { Watermark } from '../tracing/watermark';
import { OffWorkHint } from '../work-hours/off-work-hint';
import { Composer } from './composer';
import { MessageList } from './message-list';
import { MembersPanel } from './members-panel';
import { PinsPanel } from './pins-panel';
import { DeletedRoomNotice, FrozenBanner } from './room-banners';
import { RoomHeader } from './room-header';
import { RoomUiContext, type RoomUi } from './room-ui-context';
import { usePageVisible } from './use-page-visible';
import { useRoomMembers } from './use-room-members';
import { useRoomTimeline } from './use-room-timeline';

/** `focusId`: the reply a search result opened, marked in the thread. */
type Panel = { kind: 'thread'; rootId: string; focusId?: string } | { kind: 'pins' } | { kind: 'files' } | { kind: 'members' } | undefined;

/** A room; opened with `focus`, at that message in its context (a thread reply: the root, with the thread beside it). */
export function RoomView({ roomId, focus }: { roomId: string; focus?: MessageFocus }) {
  const { t } = useTranslation();
  const me = useMe();
  const chat = useChat();
  const { state, markRead, loadReadPositions, sendTyping } = chat;
  const outbox = useOutbox();
  const roomName = useRoomName();
  const presence = usePresence();
  const visible = usePageVisible();
  const anchorId = focus?.threadRootId ?? focus?.messageId;
  const { timeline, error, loadingOlder, loadOlder, hasNewer, loadingNewer, loadNewer, jumpToNewest } = useRoomTimeline(roomId, anchorId);
  const room = state.rooms?.find((r) => r.id === roomId);
  const members = useRoomMembers(roomId, room?.memberCount ?? 0);
  const [messageLabel, setMessageLabel] = useMessageLabel(room);
  const attachments = useAttachments({ roomId, label: messageLabel });
  const drop = useFileDrop(attachments.add, !room || room.frozen !== null);
  const [panel, setPanel] = useState<Panel>(() => threadPanelAt(focus));
  // Another result opened in this room while it is open brings its thread too.
  const focusKey = `${focus?.threadRootId ?? ''}/${focus?.messageId ?? ''}`;
  const [panelFocusKey, setPanelFocusKey] = useState(focusKey);
  if (panelFocusKey !== focusKey) {
    setPanelFocusKey(focusKey);
    const thread = threadPanelAt(focus);
    if (thread) setPanel(thread);
  }
  const [editingId, setEditingId] = useState<string | undefined>();
  const roomMark = useTraceMark('room-view', roomId, room?.marked ?? false);
  useCopyMarks();
  const newest = timeline?.messages.at(-1);

  // Reading happens by looking: whatever arrives while the room is open and the tab is in front counts as read.
  useEffect(() => {
    if (visible && room && newest && newest.position > room.lastReadPosition) markRead(roomId, newest.id);
  }, [visible, room, newest, roomId, markRead]);

  useEffect(() => loadReadPositions(roomId), [roomId, loadReadPositions]);

  const memberIds = members.map((member) => member.id).join(',');
  const { setRoomMembers } = presence;
  useEffect(() => setRoomMembers(memberIds === '' ? [] : memberIds.split(',')), [memberIds, setRoomMembers]);
  useEffect(() => () => setRoomMembers([]), [setRoomMembers]);

  // Esc closes the side panel; an open dialog or an edit in progress takes the key first.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented || document.querySelector('dialog[open]')) return;
      if (editingId) setEditingId(undefined);
      else setPanel(undefined);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [editingId]);

  const openThread = useCallback((rootId: string) => setPanel({ kind: 'thread', rootId }), []);
  const ui = useMemo<RoomUi | undefined>(
    () => (room ? { room, members, openThread, editingId, setEditingId } : undefined),
    [room, members, openThread, editingId],
  );
  const pinsKey = (timeline?.messages ?? []).filter((message) => message.pinned).map((message) => message.id).join(',');

  if (state.deletedRoomIds.includes(roomId)) return <DeletedRoomNotice />;
  if (!state.rooms) return <p className="room-placeholder muted">{t('common.loading')}</p>;
  if (!room || !ui) {
    return (
      <div className="empty-state">
        <h1>{t('room.notFoundTitle')}</h1>
        <p className="muted">{t('room.notFound')}</p>
      </div>
    );
  }

  const name = roomName(room);
  const editLast = () => {
    const last = timeline?.messages.findLast((message) => message.senderId === me.id && !message.deleted && !message.recalled);
    if (last) setEditingId(last.id);
  };
  return (
    <RoomUiContext.Provider value={ui}>
      <div className={`room-with-panel${panel ? ' room-with-panel--open' : ''}`}>
        <section className="room" aria-labelledby="room-title" {...drop.handlers}>
          {drop.dragging && <DropOverlay />}
          <RoomHeader
            room={room}
            name={name}
            pinsOpen={panel?.kind === 'pins'}
            onTogglePins={() => setPanel(panel?.kind === 'pins' ? undefined : { kind: 'pins' })}
            filesOpen={panel?.kind === 'files'}
            onToggleFiles={() => setPanel(panel?.kind === 'files' ? undefined : { kind: 'files' })}
            membersOpen={panel?.kind === 'members'}
            onToggleMembers={() => setPanel(panel?.kind === 'members' ? undefined : { kind: 'members' })}
          />
          <RoomLabelBanner room={room} />
          <GuestBanner room={room} />
          <FrozenBanner room={room} />
          {error && (
            <p className="form-error room__error" role="alert">
              {error}
            </p>
          )}
          <MessageList
            roomName={name}
            timeline={timeline}
            membershipLines={room.kind === 'dm' ? [] : linesShown(state.membershipLines[roomId], timeline)}
            pending={(state.pending[roomId] ?? []).filter((message) => !message.threadRootId)}
            loadingOlder={loadingOlder}
            onLoadOlder={loadOlder}
            hasNewer={hasNewer}
            loadingNewer={loadingNewer}
            onLoadNewer={loadNewer}
            onJumpToNewest={jumpToNewest}
            focusId={anchorId}
            onRetry={outbox.retry}
          />
          <TypingLine roomId={roomId} />
          <SendNotices roomId={roomId} />
          <UndoSendBar roomId={roomId} />
          <Composer
            roomId={roomId}
            label={t('composer.label', { name: room.kind === 'channel' ? `#${name}` : name })}
            placeholder={t('composer.placeholder', { name: room.kind === 'channel' ? `#${name}` : name })}
            members={members}
            canMentionAll={room.myRole === 'owner' && room.kind !== 'dm' && room.memberCount > 2}
            disabledReason={room.frozen ? t('roomState.frozenComposer') : undefined}
            onTyping={() => sendTyping(roomId)}
            onSend={(text, files) => outbox.submit({ roomId, text, files, ...(messageLabel ? { label: messageLabel } : {}) })}
            attachments={attachments}
            beforeSend={<LabelPicker room={room} value={messageLabel ?? room.defaultLabel} onChange={setMessageLabel} disabled={room.frozen !== null} />}
            above={(sendOptions) => <OffWorkHint room={room} onScheduleFor={sendOptions.openScheduleFor} onUrgent={sendOptions.openUrgent} />}
            onEditLast={editLast}
            autoFocus={!panel}
          />
        </section>
        {panel?.kind === 'thread' && <ThreadPanel key={panel.rootId} rootId={panel.rootId} focusId={panel.focusId} onClose={() => setPanel(undefined)} />}
        {panel?.kind === 'pins' && <PinsPanel roomId={roomId} pinsKey={pinsKey} onClose={() => setPanel(undefined)} />}
        {panel?.kind === 'files' && <RoomFilesPanel onClose={() => setPanel(undefined)} />}
        {panel?.kind === 'members' && room && <MembersPanel roomId={roomId} memberCount={room.memberCount} onClose={() => setPanel(undefined)} />}
        {roomMark && <Watermark mark={roomMark} />}
      </div>
    </RoomUiContext.Provider>
  );
}

function threadPanelAt(focus: MessageFocus | undefined): Panel {
  return focus?.threadRootId === undefined ? undefined : { kind: 'thread', rootId: focus.threadRootId, focusId: focus.messageId };
}
