import type { RoomSummary } from '@enclave/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../app/api';
import { navigate } from '../app/router';
import { useChat } from '../chat/chat-context';
import { usePeople } from '../people/people-context';
import { PresenceDot } from '../presence/presence-dot';
import { GuestBadge } from '../protection/guest-badge';
import { AddMembersDialog } from '../rooms/add-members-dialog';
import { RoomInviteDialog } from '../invites/room-invite-dialog';
import { RoomIcon } from '../rooms/room-icon';
import { BackIcon, LockIcon, PlusIcon } from '../ui/icons';

interface RoomHeaderProps {
  room: RoomSummary;
  name: string;
  pinsOpen: boolean;
  onTogglePins: () => void;
  filesOpen: boolean;
  onToggleFiles: () => void;
  membersOpen: boolean;
  onToggleMembers: () => void;
}

export function RoomHeader({ room, name, pinsOpen, onTogglePins, filesOpen, onToggleFiles, membersOpen, onToggleMembers }: RoomHeaderProps) {
  const { t } = useTranslation();
  const { setMuted } = useChat();
  const people = usePeople();
  const [adding, setAdding] = useState(false);
  const [inviting, setInviting] = useState(false);
  const [error, setError] = useState<string | undefined>();
  // Anyone in a channel may bring people in; a private group is curated by its owners; a DM's people are fixed.
  const canAddMembers = !room.frozen && (room.kind === 'channel' || (room.kind === 'group' && room.myRole === 'owner'));
  const peer = room.kind === 'dm' && room.dmMemberIds.length === 1 ? room.dmMemberIds[0] : undefined;

  return (
    <header className="room-header">
      <button type="button" className="icon-button room-header__back" aria-label={t('room.backToRooms')} onClick={() => navigate({ page: 'home' })}>
        <BackIcon />
      </button>
      <span className="room-header__icon">
        <RoomIcon room={room} />
        {peer && <PresenceDot userId={peer} />}
      </span>
      <div className="room-header__title">
        <h1 id="room-title">{name}</h1>
        {peer && <GuestBadge user={people.byId.get(peer)} />}
        <span className="muted">{t('rooms.memberCount', { count: room.memberCount })}</span>
        {room.topic && <span className="muted room-header__topic">{t('roomState.topic', { topic: room.topic })}</span>}
      </div>
      {!room.copyAllowed && (
        <span className="muted copy-note" title={t('restrictions.copyDeterrent')}>
          <LockIcon />
          {t('restrictions.copyDisabled')}
        </span>
      )}
      {error && (
        <span className="form-error" role="alert">
          {error}
        </span>
      )}
      <button type="button" className="button button--small" aria-pressed={room.muted} onClick={() => setMuted(room.id, !room.muted).catch((failure: unknown) => setError(describeError(failure)))}>
        {room.muted ? t('roomState.unmute') : t('roomState.mute')}
      </button>
      <button type="button" className="button button--small" aria-pressed={pinsOpen} onClick={onTogglePins}>
        {t('pins.open')}
      </button>
      <button type="button" className="button button--small" aria-pressed={filesOpen} onClick={onToggleFiles}>
        {t('files.panelOpen')}
      </button>
      <button type="button" className="button button--small" aria-pressed={membersOpen} onClick={onToggleMembers}>
        {t('members.open')}
      </button>
      {canAddMembers && (
        <button type="button" className="button button--small" onClick={() => setAdding(true)}>
          <PlusIcon />
          {t('room.addMembers')}
        </button>
      )}
      {!room.frozen && room.kind !== 'dm' && room.myRole === 'owner' && (
        <button type="button" className="button button--small" onClick={() => setInviting(true)}>
          {t('invites.invite')}
        </button>
      )}
      {adding && <AddMembersDialog room={room} onClose={() => setAdding(false)} />}
      {inviting && <RoomInviteDialog roomId={room.id} roomName={name} onClose={() => setInviting(false)} />}
    </header>
  );
}
