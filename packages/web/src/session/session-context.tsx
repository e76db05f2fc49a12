import type { User } from '@enclave/protocol';
import { EnclaveApiError } from '@enclave/sdk';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api } from '../app/api';

export type SessionState =
  | { status: 'checking' }
  | { status: 'unreachable' }
  | { status: 'signed-out'; reason?: 'expired' }
  | { status: 'signed-in'; user: User };

export interface Session {
  state: SessionState;
  /** Throws the server's error (already translated) when the credentials are refused. */
  signIn(username: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  /** The server no longer accepts our cookie (revoked elsewhere, password reset): back to the sign-in screen. */
  expire(): void;
  recheck(): void;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'checking' });

  const recheck = useCallback(() => {
    setState({ status: 'checking' });
    api.call('me').then(
      ({ user }) => setState({ status: 'signed-in', user }),
      (error: unknown) => setState(error instanceof EnclaveApiError && error.status === 401 ? { status: 'signed-out' } : { status: 'unreachable' }),
    );
  }, []);

  useEffect(recheck, [recheck]);

  const session = useMemo<Session>(
    () => ({
      state,
      recheck,
      async signIn(username, password) {
        const { user } = await api.login(username, password, true);
        setState({ status: 'signed-in', user });
      },
      async signOut() {
        // Even if the server cannot be reached, this page must stop showing the conversation.
        await api.call('logout').catch(() => undefined);
        setState({ status: 'signed-out' });
      },
      expire: () => setState({ status: 'signed-out', reason: 'expired' }),
    }),
    [state, recheck],
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
  if (state.status !== 'signed-in') throw new Error('useMe needs a signed-in session');
  return state.user;
}

const SessionContext = createContext<Session | undefined>(undefined);
