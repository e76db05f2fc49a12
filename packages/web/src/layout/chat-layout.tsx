import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { AdminPage } from '../admin/admin-page';
import { useRoute } from '../app/router';
import { useChat } from '../chat/chat-context';
import { CompliancePage } from '../compliance/compliance-page';
import { MentionsView } from '../mentions/mentions-view';
import { DesktopNotifier } from '../notifications/desktop-notifier';
import { PresenceProvider } from '../presence/presence-context';
import { RoomView } from '../room/room-view';
import { ScheduledView } from '../scheduled/scheduled-view';
import { SearchProvider } from '../search/search-context';
import { SearchPage } from '../search/search-page';
import { Sidebar } from '../sidebar/sidebar';
import { MyWorkHoursProvider } from '../work-hours/my-work-hours-context';
import { OffWorkBanner } from '../work-hours/off-work-banner';
import { ReconnectingBanner } from './reconnecting-banner';

export function ChatLayout() {
  const { t } = useTranslation();
  const route = useRoute();
  const { openRoom } = useChat();
  const openRoomId = route.page === 'room' ? route.roomId : undefined;

  useEffect(() => openRoom(openRoomId), [openRoom, openRoomId]);

  // On a phone only one pane fits: the room list at home, otherwise the room, the mentions, the scheduled messages, the search or a console.
  // The search lives above the pages, so that its results are still there on coming back from one it opened.
  return (
    <PresenceProvider>
      <MyWorkHoursProvider>
        <SearchProvider>
          <DesktopNotifier />
          <div className={`layout ${route.page === 'home' ? 'layout--list' : 'layout--detail'}`}>
            <Sidebar openRoomId={openRoomId} consoleOpen={route.page === 'admin' || route.page === 'compliance'} mentionsOpen={route.page === 'mentions'} scheduledOpen={route.page === 'scheduled'} />
            <main className="layout__main">
              <ReconnectingBanner />
              <OffWorkBanner />
              {route.page === 'room' && <RoomView key={route.roomId} roomId={route.roomId} focus={route.focus} />}
              {route.page === 'admin' && <AdminPage />}
              {route.page === 'compliance' && <CompliancePage />}
              {route.page === 'mentions' && <MentionsView />}
              {route.page === 'scheduled' && <ScheduledView />}
              {route.page === 'search' && <SearchPage />}
              {route.page === 'home' && (
                <div className="empty-state">
                  <h1>{t('home.title')}</h1>
                  <p className="muted">{t('home.hint')}</p>
                </div>
              )}
            </main>
          </div>
        </SearchProvider>
      </MyWorkHoursProvider>
    </PresenceProvider>
  );
}
