import type { EndpointOutput } from '@enclave/protocol';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../app/api';
import { navigate } from '../app/router';
import { isLocale } from '../i18n/i18n';
import { useSession } from '../session/session-context';
import { SignInScreen } from '../session/sign-in-screen';
import { LanguageSwitcher } from '../ui/language-switcher';
import { InviteSignUpForm } from './invite-sign-up-form';

type Preview = EndpointOutput<'getInvite'>['invite'];

/**
 * Where an invite link (and its QR code) lands: what the invite is for, then the sign-up form (organisation) or
 * "Join" (room, once signed in). A code that no longer works says why, in the reader's language.
 */
export function InviteLandingPage({ code }: { code: string }) {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const [preview, setPreview] = useState<Preview | undefined>();
  const [failure, setFailure] = useState<unknown>();
  const [waiting, setWaiting] = useState(false);

  useEffect(() => {
    api.endpoint('getInvite')({ params: { code } }).then((answer) => setPreview(answer.invite), setFailure);
    // The language is a dependency so the reason a code fails is asked again in the language just chosen.
  }, [code, i18n.language]);

  // Above `internal` the server withholds the name: the page says "a private room" and shows only its label.
  const roomName = preview?.roomName ?? t('invites.privateRoom');
  const labelName = preview?.roomLabel?.names[isLocale(i18n.language) ? i18n.language : 'en'];
  if (preview?.kind === 'room' && session.state.status === 'signed-out') {
    return <SignInScreen notice={t('invites.signInFirst', { room: roomName })} />;
  }
  return (
    <main className="sign-in">
      <div className="sign-in__card invite-landing">
        <div className="brand">
          <span className="brand__mark" aria-hidden="true">
            E
          </span>
          <span className="brand__name">Enclave</span>
        </div>
        {failure !== undefined ? (
          <>
            <h1>{t('invites.invalidTitle')}</h1>
            <p role="alert">{describeError(failure)}</p>
          </>
        ) : preview === undefined ? (
          <p role="status">{t('common.loading')}</p>
        ) : (
          <>
            <h1>{preview.kind === 'room' ? t('invites.landingRoomTitle', { room: roomName }) : t('invites.landingOrgTitle')}</h1>
            {preview.kind === 'room' && (
              <p className="muted invite-landing__room">
                {labelName && t('invites.landingLabel', { label: labelName })}
                {preview.memberCount !== null && ` ${t('rooms.memberCount', { count: preview.memberCount })}`}
                {preview.roomTopic && ` ${t('roomState.topic', { topic: preview.roomTopic })}`}
              </p>
            )}
            <p className="muted">
              {t('invites.landingExpires', { time: new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(preview.expiresAt)) })}
              {preview.requiresApproval && ` ${t('invites.landingApproval')}`}
            </p>
            {waiting ? (
              <p className="notice" role="status">
                {preview.kind === 'room' ? t('invites.waitingRoom', { room: roomName }) : t('invites.waiting')}
              </p>
            ) : preview.kind === 'room' ? (
              <JoinRoom code={code} roomName={roomName} onWaiting={() => setWaiting(true)} />
            ) : session.state.status === 'signed-in' || session.state.status === 'must-enrol' ? (
              <>
                <p>{t('invites.alreadySignedIn', { name: session.state.user.displayName })}</p>
                <div className="admin-form__actions">
                  <button type="button" className="button" onClick={() => void session.signOut()}>
                    {t('invites.signOutToUse')}
                  </button>
                  <button type="button" className="button button--primary" onClick={() => navigate({ page: 'home' })}>
                    {t('invites.openApp')}
                  </button>
                </div>
              </>
            ) : (
              <InviteSignUpForm code={code} onWaiting={() => setWaiting(true)} />
            )}
          </>
        )}
      </div>
      <footer className="sign-in__footer">
        <LanguageSwitcher />
      </footer>
    </main>
  );
}

function JoinRoom({ code, roomName, onWaiting }: { code: string; roomName: string; onWaiting: () => void }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();

  async function join() {
    setBusy(true);
    setError(undefined);
    try {
      const answer = await api.endpoint('acceptInvite')({ params: { code }, body: {} });
      if (answer.outcome === 'pending') onWaiting();
      else if (answer.roomId) navigate({ page: 'room', roomId: answer.roomId });
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <button type="button" className="button button--primary button--wide" disabled={busy} onClick={() => void join()}>
        {busy ? t('invites.joining') : t('invites.join', { room: roomName })}
      </button>
    </>
  );
}
