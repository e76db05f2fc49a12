import type { RoomKind, RoomSummary } from '@enclave/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useChat } from '../chat/chat-context';
import { BrowseChannelsDialog } from '../rooms/browse-channels-dialog';
import { NewDirectMessageDialog } from '../rooms/new-direct-message-dialog';
import { NewRoomDialog } from '../rooms/new-room-dialog';
import { useRoomName } from '../rooms/use-room-name';
import { RoomSection } from './room-section';
import { UserMenu } from './user-menu';

type OpenDialog = 'channel' | 'group' | 'dm' | 'browse' | undefined;

export function Sidebar({ openRoomId, adminOpen }: { openRoomId: string | undefined; adminOpen: boolean }) {
  const { t } = useTranslation();
  const { state, loadError, reloadRooms } = useChat();
  const roomName = useRoomName();
  const [dialog, setDialog] = useState<OpenDialog>();
  const close = () => setDialog(undefined);

  const ofKind = (kind: RoomKind): RoomSummary[] =>
    (state.rooms ?? []).filter((room) => room.kind === kind).sort((a, b) => roomName(a).localeCompare(roomName(b)));

  return (
    <nav className="sidebar" aria-label={t('sidebar.label')}>
      <header className="sidebar__header">
        <span className="brand__mark" aria-hidden="true">
          E
        </span>
        <span className="brand__name">Enclave</span>
      </header>
      <div className="sidebar__rooms">
        {loadError && (
          <div className="sidebar__error" role="alert">
            <p>{loadError}</p>
            <button type="button" className="button button--small" onClick={reloadRooms}>
              {t('common.retry')}
            </button>
          </div>
        )}
        {!state.rooms && !loadError && <p className="sidebar__loading">{t('common.loading')}</p>}
        {state.rooms && (
          <>
            <RoomSection title={t('sidebar.channels')} addLabel={t('sidebar.newChannel')} onAdd={() => setDialog('channel')} rooms={ofKind('channel')} openRoomId={openRoomId}>
              <button type="button" className="sidebar__link-button" onClick={() => setDialog('browse')}>
                {t('sidebar.browseChannels')}
              </button>
            </RoomSection>
            <RoomSection title={t('sidebar.groups')} addLabel={t('sidebar.newGroup')} onAdd={() => setDialog('group')} rooms={ofKind('group')} openRoomId={openRoomId} />
            <RoomSection title={t('sidebar.directMessages')} addLabel={t('sidebar.newDirectMessage')} onAdd={() => setDialog('dm')} rooms={ofKind('dm')} openRoomId={openRoomId} />
          </>
        )}
      </div>
      <UserMenu adminOpen={adminOpen} />
      {(dialog === 'channel' || dialog === 'group') && <NewRoomDialog kind={dialog} onClose={close} />}
      {dialog === 'dm' && <NewDirectMessageDialog onClose={close} />}
      {dialog === 'browse' && <BrowseChannelsDialog onClose={close} />}
    </nav>
  );
}
