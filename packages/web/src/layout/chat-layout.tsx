import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { AdminPage } from '../admin/admin-page';
import { useRoute } from '../app/router';
import { useChat } from '../chat/chat-context';
import { MentionsView } from '../mentions/mentions-view';
import { DesktopNotifier } from '../notifications/desktop-notifier';
import { PresenceProvider } from '../presence/presence-context';
import { RoomView } from '../room/room-view';
import { Sidebar } from '../sidebar/sidebar';
import { ReconnectingBanner } from './reconnecting-banner';

export function ChatLayout() {
  const { t } = useTranslation();
  const route = useRoute();
  const { openRoom } = useChat();
  const openRoomId = route.page === 'room' ? route.roomId : undefined;

  useEffect(() => openRoom(openRoomId), [openRoom, openRoomId]);

  // On a phone only one pane fits: the room list at home, otherwise the room, the mentions or the admin page.
  return (
    <PresenceProvider>
      <DesktopNotifier />
      <div className={`layout ${route.page === 'home' ? 'layout--list' : 'layout--detail'}`}>
        <Sidebar openRoomId={openRoomId} adminOpen={route.page === 'admin'} mentionsOpen={route.page === 'mentions'} />
        <main className="layout__main">
          <ReconnectingBanner />
          {route.page === 'room' && <RoomView key={route.roomId} roomId={route.roomId} />}
          {route.page === 'admin' && <AdminPage />}
          {route.page === 'mentions' && <MentionsView />}
          {route.page === 'home' && (
            <div className="empty-state">
              <h1>{t('home.title')}</h1>
              <p className="muted">{t('home.hint')}</p>
            </div>
          )}
        </main>
      </div>
    </PresenceProvider>
  );
}
