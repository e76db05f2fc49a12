import { useTranslation } from 'react-i18next';
import { ChatProvider } from '../chat/chat-context';
import { InviteLandingPage } from '../invites/invite-landing-page';
import { LabelsProvider } from '../labels/labels-context';
import { ChatLayout } from '../layout/chat-layout';
import { PeopleProvider } from '../people/people-context';
import { OutboxProvider } from '../protection/outbox-context';
import { SessionProvider, useSession } from '../session/session-context';
import { EnrolmentRequiredScreen } from '../session/enrolment-required-screen';
import { PasswordChangeScreen } from '../session/password-change-screen';
import { SignInScreen } from '../session/sign-in-screen';
import { useRoute } from './router';

export function App() {
  return (
    <SessionProvider>
      <SessionGate />
    </SessionProvider>
  );
}

function SessionGate() {
  const { t } = useTranslation();
  const { state, recheck } = useSession();
  const route = useRoute();
  // An invite link works signed in or out, so its page comes before the sign-in screen and outside the chat.
  if (route.page === 'invite' && (state.status === 'signed-out' || state.status === 'signed-in')) return <InviteLandingPage code={route.code} />;
  switch (state.status) {
    case 'checking':
      return (
        <main className="splash" role="status">
          {t('common.loading')}
        </main>
      );
    case 'unreachable':
      return (
        <main className="splash">
          <p role="alert">{t('errors.unreachable')}</p>
          <button type="button" className="button" onClick={recheck}>
            {t('common.retry')}
          </button>
        </main>
      );
    case 'signed-out':
      return <SignInScreen />;
    case 'must-change-password':
      return <PasswordChangeScreen minLength={state.passwordMinLength} />;
    case 'must-enrol':
      return <EnrolmentRequiredScreen />;
    case 'signed-in':
      // Keyed by user, so that nothing of one person's session survives into the next one's.
      return (
        <PeopleProvider key={state.user.id}>
          <LabelsProvider>
            <ChatProvider>
              <OutboxProvider>
                <ChatLayout />
              </OutboxProvider>
            </ChatProvider>
          </LabelsProvider>
        </PeopleProvider>
      );
  }
}
