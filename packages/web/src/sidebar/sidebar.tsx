import type { RoomKind, RoomSummary } from '@enclave/protocol';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useChat } from '../chat/chat-context';
import { BrowseChannelsDialog } from '../rooms/browse-channels-dialog';
import { NewDirectMessageDialog } from '../rooms/new-direct-message-dialog';
import { NewRoomDialog } from '../rooms/new-room-dialog';
import { useRoomName } from '../rooms/use-room-name';
import { navigate } from '../app/router';
import { NotificationPrompt } from '../notifications/notification-prompt';
import { ScheduledLink } from '../scheduled/scheduled-link';
import { SearchLink } from '../search/search-link';
import { RoomSwitcher } from '../switcher/room-switcher';
import { RoomSection } from './room-section';
import { UserMenu } from './user-menu';

type OpenDialog = 'channel' | 'group' | 'dm' | 'browse' | 'switcher' | undefined;

interface SidebarProps {
  openRoomId: string | undefined;
  /** The admin or compliance console is open. */
  consoleOpen: boolean;
  mentionsOpen: boolean;
  scheduledOpen: boolean;
}

export function Sidebar({ openRoomId, consoleOpen, mentionsOpen, scheduledOpen }: SidebarProps) {
  const { t } = useTranslation();
  const { state, loadError, reloadRooms } = useChat();
  const roomName = useRoomName();
  const [dialog, setDialog] = useState<OpenDialog>();
  const close = () => setDialog(undefined);
  const mentionTotal = (state.rooms ?? []).reduce((sum, room) => sum + room.mentionCount, 0);

  // Ctrl+K (Cmd+K on a Mac) jumps to a conversation from anywhere.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        setDialog('switcher');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

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
      <div className="sidebar__shortcuts">
        <button type="button" className="sidebar__jump" onClick={() => setDialog('switcher')}>
          {t('switcher.open')}
        </button>
        <SearchLink />
        <a
          href="/mentions"
          className={`room-link${mentionTotal > 0 ? ' room-link--unread' : ''}`}
          aria-current={mentionsOpen ? 'page' : undefined}
          onClick={(event) => {
            event.preventDefault();
            navigate({ page: 'mentions' });
          }}
        >
          <span className="room-link__icon" aria-hidden="true">
            @
          </span>
          <span className="room-link__name">{t('mentions.link')}</span>
          {mentionTotal > 0 && (
            <span className="badge badge--mention">
              <span aria-hidden="true">{mentionTotal}</span>
              <span className="visually-hidden">{t('mentions.badge', { count: mentionTotal })}</span>
            </span>
          )}
        </a>
        <ScheduledLink open={scheduledOpen} />
      </div>
      <NotificationPrompt />
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
      <UserMenu consoleOpen={consoleOpen} />
      {(dialog === 'channel' || dialog === 'group') && <NewRoomDialog kind={dialog} onClose={close} />}
      {dialog === 'dm' && <NewDirectMessageDialog onClose={close} />}
      {dialog === 'browse' && <BrowseChannelsDialog onClose={close} />}
      {dialog === 'switcher' && <RoomSwitcher onClose={close} />}
    </nav>
  );
}
