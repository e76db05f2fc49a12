import { DEFAULT_FILE_POLICY, type EndpointOutput, type FilePolicy, type User } from '@enclave/protocol';
import { EnclaveApiError } from '@enclave/sdk';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api } from '../app/api';
import { currentLocale, switchLocale } from '../i18n/i18n';
import { setUserTimeZone } from '../profile/time-zone';

/** My own choices that other people do not see. */
export type Preferences = EndpointOutput<'me'>['preferences'];

export type SessionState =
  | { status: 'checking' }
  | { status: 'unreachable' }
  | { status: 'signed-out'; reason?: 'expired' }
  /** Signed in, but the organisation requires two-factor sign-in first: only enrolment is possible. */
  | { status: 'must-enrol'; user: User; recallWindowSeconds: number; recallReachesCopies: boolean; filePolicy: FilePolicy; preferences: Preferences }
  /** Signed in, but the password must change first (too weak for the policy, or set by an administrator). */
  | { status: 'must-change-password'; user: User; passwordMinLength: number }
  | { status: 'signed-in'; user: User; recallWindowSeconds: number; recallReachesCopies: boolean; filePolicy: FilePolicy; preferences: Preferences };

export type SecondFactor = { code: string } | { recoveryCode: string };

export interface Session {
  state: SessionState;
  /** How long after sending I may recall a message, as the server's policy says (0: recall is off, or not signed in). */
  recallWindowSeconds: number;
  /** Whether I may recall a message's forwards and copies with it. */
  recallReachesCopies: boolean;
  /**
   * The organisation's file policy as last read (the default while signed out). Only a courtesy check before
   * uploading: the server applies the policy as it is now.
   */
  filePolicy: FilePolicy;
  /** Reads the file policy again, as an administrator may have changed it since, and keeps it. */
  refreshFilePolicy(): Promise<FilePolicy>;
  /** My preferences as the server last told them (defaults while signed out). */
  preferences: Preferences;
  /**
   * Throws the server's error (already translated) when the credentials are refused; with two-factor sign-in on,
   * throws TOTP_REQUIRED whose `data.challenge` goes to `signInWithSecondFactor`.
   */
  signIn(username: string, password: string): Promise<void>;
  signInWithSecondFactor(challenge: string, factor: SecondFactor): Promise<void>;
  signOut(): Promise<void>;
  /**
   * The server no longer accepts our cookie (revoked elsewhere, password reset): back to the sign-in screen, or to
   * the password change screen when the session is only held for that.
   */
  expire(): void;
  recheck(): void;
  /** The signed-in user changed (profile saved): show the new one and follow their language and time zone. */
  replaceUser(user: User): void;
  replacePreferences(preferences: Preferences): void;
}

const NO_PREFERENCES: Preferences = { undoSendSeconds: 0 };

/** The person's own choices win over what the browser says. */
function applyPreferences(user: User): void {
  setUserTimeZone(user.timeZone);
  if (user.locale && user.locale !== currentLocale()) void switchLocale(user.locale);
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'checking' });

  // Asks the server who we are; also the way into the app after signing in, so the two-factor rule applies.
  const load = useCallback(async () => {
    const { user, twoFactor, password, recallWindowSeconds, recallReachesCopies, filePolicy, preferences } = await api.endpoint('me')();
    applyPreferences(user);
    // The password comes first: until it changes the server refuses everything else, enrolment included.
    if (password.changeRequired) return setState({ status: 'must-change-password', user, passwordMinLength: password.minLength });
    setState({ status: twoFactor.required && !twoFactor.enabled ? 'must-enrol' : 'signed-in', user, recallWindowSeconds, recallReachesCopies, filePolicy, preferences });
  }, []);

  const recheck = useCallback(() => {
    setState({ status: 'checking' });
    load().catch((error: unknown) => setState(error instanceof EnclaveApiError && error.status === 401 ? { status: 'signed-out' } : { status: 'unreachable' }));
  }, [load]);

  useEffect(recheck, [recheck]);

  const session = useMemo<Session>(
    () => ({
      state,
      recallWindowSeconds: state.status === 'signed-in' || state.status === 'must-enrol' ? state.recallWindowSeconds : 0,
      recallReachesCopies: state.status === 'signed-in' || state.status === 'must-enrol' ? state.recallReachesCopies : false,
      filePolicy: state.status === 'signed-in' || state.status === 'must-enrol' ? state.filePolicy : DEFAULT_FILE_POLICY,
      preferences: state.status === 'signed-in' || state.status === 'must-enrol' ? state.preferences : NO_PREFERENCES,
      recheck,
      async signIn(username, password) {
        await api.login(username, password, true);
        await load();
      },
      async signInWithSecondFactor(challenge, factor) {
        await api.endpoint('loginTwoFactor')({ body: { challenge, ...factor, useCookie: true } });
        await load();
      },
      async signOut() {
        // Even if the server cannot be reached, this page must stop showing the conversation.
        await api.endpoint('logout')().catch(() => undefined);
        setUserTimeZone(undefined);
        setState({ status: 'signed-out' });
      },
      // The server refused our session: it ended, or it is now held until the password changes (a sign-in elsewhere
      // found the password too weak). `me` tells which, so a held session goes straight to the change screen.
      expire: () => void load().catch(() => setState({ status: 'signed-out', reason: 'expired' })),
      replaceUser(user) {
        applyPreferences(user);
        setState((current) => (current.status === 'signed-in' || current.status === 'must-enrol' ? { ...current, user } : current));
      },
      async refreshFilePolicy() {
        const { filePolicy } = await api.endpoint('me')();
        setState((current) => (current.status === 'signed-in' || current.status === 'must-enrol' ? { ...current, filePolicy } : current));
        return filePolicy;
      },
      replacePreferences(preferences) {
        setState((current) => (current.status === 'signed-in' || current.status === 'must-enrol' ? { ...current, preferences } : current));
      },
    }),
    [state, recheck, load],
  );

  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession needs a SessionProvider');
  return session;
}

/** The signed-in user; only for components that render inside the signed-in part of the app. */
export function useMe(): User {
  const { state } = useSession();
  if (state.status !== 'signed-in' && state.status !== 'must-enrol') throw new Error('useMe needs a signed-in session');
  return state.user;
}

const SessionContext = createContext<Session | undefined>(undefined);
