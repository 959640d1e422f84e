import { type QueryClient, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { api, isEnrolmentRequired, isSignedOut, maybeSignedIn, rememberCsrf, unwrap } from './api.js';

type Environment = 'development' | 'production' | 'test';
type Me = { user: SignedInUser; session: { id: string; reauth_at: string | null }; environment?: Environment };
export type SignedInUser = {
  id: string;
  merchant_id: string | null;
  role: 'owner' | 'manager' | 'cashier' | 'admin' | 'support_agent';
  login: string;
  name: string;
  store_ids: string[] | null;
};
/** What the sign-in routes answer once someone is signed in (login, second factor, invitation, QR login). */
export type SignedInAnswer = {
  status: 'signed_in';
  csrf_token: string;
  user: SignedInUser;
  second_factor_enrolment_required?: boolean;
};

interface SessionValue {
  /** undefined while loading, null when nobody is signed in. */
  user: SignedInUser | null | undefined;
  /** The server's mode (GET /v1/auth/me): development tools such as the dev outbox are shown outside production. */
  environment: Environment | undefined;
  /** Keep the answer of a sign-in and go on (to the enrolment page when a factor is still required). */
  signedIn(answer: SignedInAnswer): void;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionValue | undefined>(undefined);
export const ME_QUERY = ['auth', 'me'] as const;

/** Handlers the query client calls on every failed query or mutation (set by SessionProvider). */
export const sessionEvents = { onError: (_error: unknown) => {} };

/** When a 401 turned out to be a request that raced a new session token (see afterSignedOut), newest last. */
const raced: number[] = [];
const RACES_ALLOWED = 3;
const RACE_WINDOW_MS = 30_000;
/** Before asking again: time for the answer that carries the new token to reach the browser. */
const RACE_PAUSE_MS = 250;

/**
 * A 401 may answer a request that was on its way while the session got a new token (a re-authentication or a factor's
 * enrolment rotates it): the browser already holds the new cookie. So before leaving for the sign-in page, ask who is
 * signed in now; when someone still is, the failed reads are asked again. Three such races within 30 s mean something
 * else is wrong, and the sign-in page follows.
 */
async function afterSignedOut(goToSignIn: () => void, queryClient: QueryClient): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, RACE_PAUSE_MS));
  let signedIn = false;
  try {
    await unwrap(api.GET('/v1/auth/me'));
    signedIn = true;
  } catch {
    // Signed out indeed, or the server cannot say: the sign-in page either way.
  }
  const now = Date.now();
  while ((raced[0] ?? now) < now - RACE_WINDOW_MS) raced.shift();
  if (!signedIn || raced.length >= RACES_ALLOWED) {
    goToSignIn();
    return;
  }
  raced.push(now);
  await queryClient.invalidateQueries({ predicate: (query) => query.state.status === 'error' });
}

/** Who is signed in (GET /v1/auth/me), and the moves between signed in and signed out. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const me = useQuery({
    queryKey: ME_QUERY,
    queryFn: async (): Promise<Me | null> => {
      // Twice at most when this tab had a session: a first 401 may answer a request that raced a new session token
      // (see afterSignedOut). A visitor who never signed in here is answered at once.
      for (let attempt = 1; ; attempt++) {
        try {
          return (await unwrap(api.GET('/v1/auth/me'))) as Me;
        } catch (error) {
          if (!isSignedOut(error)) throw error;
          if (attempt === 2 || !maybeSignedIn()) return null;
          await new Promise((resolve) => setTimeout(resolve, RACE_PAUSE_MS));
        }
      }
    },
    retry: false,
    staleTime: 60_000,
  });

  const goToSignIn = useCallback(() => {
    rememberCsrf(undefined);
    queryClient.setQueryData(ME_QUERY, null);
    if (!location.pathname.startsWith('/login')) {
      const next = `${location.pathname}${location.search}`;
      void navigate(`/login?next=${encodeURIComponent(next)}`, { replace: true });
    }
  }, [queryClient, navigate, location.pathname, location.search]);

  useEffect(() => {
    let checking: Promise<void> | undefined;
    sessionEvents.onError = (error) => {
      if (isSignedOut(error))
        checking ??= afterSignedOut(goToSignIn, queryClient).finally(() => (checking = undefined));
      else if (isEnrolmentRequired(error)) void navigate('/enrol', { replace: true });
    };
  }, [goToSignIn, navigate, queryClient]);

  const value = useMemo<SessionValue>(
    () => ({
      user: me.data === undefined ? (me.isError ? null : undefined) : (me.data?.user ?? null),
      environment: me.data?.environment,
      signedIn(answer) {
        rememberCsrf(answer.csrf_token);
        queryClient.setQueryData(ME_QUERY, { user: answer.user, session: { id: '', reauth_at: null } });
        void queryClient.invalidateQueries({ queryKey: ME_QUERY });
        if (answer.second_factor_enrolment_required) {
          void navigate('/enrol', { replace: true });
          return;
        }
        const next = new URLSearchParams(window.location.search).get('next');
        void navigate(next?.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
      },
      async signOut() {
        try {
          await unwrap(api.POST('/v1/auth/logout'));
        } catch {
          // Signed out already (or the network failed): the local session is forgotten either way.
        }
        rememberCsrf(undefined);
        queryClient.clear();
        queryClient.setQueryData(ME_QUERY, null);
        void navigate('/login', { replace: true });
      },
    }),
    [me.data, me.isError, queryClient, navigate],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
