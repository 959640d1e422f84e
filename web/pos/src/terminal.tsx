import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { createTerminalClient, isNetworkError, refusal, type TerminalApi } from './sdk.js';

/** While unfinished transactions wait and the server cannot be reached, how often to try again. */
const RESUME_RETRY_MS = 3_000;

/** What this device keeps between visits: the terminal's key (until it is replaced) and who is signed in. */
interface Credentials {
  terminalId?: string;
  terminalKey?: string;
  operatorSession?: string;
  operatorNo?: string;
}

// The terminal key outlives a reload and a restart of the device (it is the device's identity); the operator's session
// lives in sessionStorage, so closing the app signs the cashier out, as ending a shift should.
const TERMINAL_KEY = 'refundkey.pos.terminal';
const OPERATOR_KEY = 'refundkey.pos.operator';

function readJson(storage: Storage, key: string): Record<string, string> {
  try {
    const value: unknown = JSON.parse(storage.getItem(key) ?? '{}');
    return value && typeof value === 'object' ? (value as Record<string, string>) : {};
  } catch {
    return {};
  }
}

function loadCredentials(): Credentials {
  const terminal = readJson(window.localStorage, TERMINAL_KEY);
  const operator = readJson(window.sessionStorage, OPERATOR_KEY);
  return {
    terminalId: terminal.terminal_id,
    terminalKey: terminal.terminal_key,
    operatorSession: operator.operator_session,
    operatorNo: operator.operator_no,
  };
}

interface TerminalContext {
  client: TerminalApi;
  credentials: Credentials;
  online: boolean;
  /** Operations the SDK keeps for a retry with their idempotency key (sent again when the connection returns). */
  pendingCount: number;
  resuming: boolean;
  activate(code: string): Promise<void>;
  signIn(operatorNo: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  forgetTerminal(): void;
  /** Run a call; a network failure turns the offline banner on (and is rethrown for the screen to show its state). */
  call<T>(work: (client: TerminalApi) => Promise<T>): Promise<T>;
  /** Send the pending operations again now; resolves once they are answered. */
  resume(): Promise<void>;
  /** Screens waiting for a pending operation's answer listen here; they get what resume() answered. */
  onResumed(listener: (answers: unknown) => void): () => void;
}

const Context = createContext<TerminalContext | undefined>(undefined);

export function useTerminal(): TerminalContext {
  const value = useContext(Context);
  if (!value) throw new Error('useTerminal outside TerminalProvider');
  return value;
}

/** One SDK client for the app, with the device's credentials, the connection state and the pending operations. */
export function TerminalProvider({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  const [credentials, setCredentials] = useState<Credentials>(loadCredentials);
  const [reachable, setReachable] = useState(true);
  const [browserOnline, setBrowserOnline] = useState(() => navigator.onLine);
  const [pendingCount, setPendingCount] = useState(0);
  const [resuming, setResuming] = useState(false);
  const listeners = useRef(new Set<(answers: unknown) => void>());

  const client = useMemo(
    () =>
      createTerminalClient({
        baseUrl: '',
        terminalKey: credentials.terminalKey,
        operatorSession: credentials.operatorSession,
        language: i18n.language === 'en' ? 'en' : 'zh-CN',
      }),
    [credentials.terminalKey, credentials.operatorSession, i18n.language],
  );

  const refreshPending = useCallback(async () => {
    setPendingCount((await client.pending()).length);
  }, [client]);

  const retry = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const resume = useCallback(async () => {
    clearTimeout(retry.current);
    if ((await client.pending()).length === 0) return;
    setResuming(true);
    let answers: unknown;
    try {
      answers = await client.resume();
      setReachable(true);
    } catch (error) {
      if (isNetworkError(error)) {
        setReachable(false);
        // The 'online' event can come a moment before requests get through, and a server can be away while the network
        // is up: try again rather than wait for the next event. Offline, the 'online' event brings it back.
        if (navigator.onLine) retry.current = setTimeout(() => void resume(), RESUME_RETRY_MS);
      }
    } finally {
      setResuming(false);
      await refreshPending();
      for (const listener of listeners.current) listener(answers);
    }
  }, [client, refreshPending]);

  useEffect(() => () => clearTimeout(retry.current), []);

  useEffect(() => {
    const up = () => {
      setBrowserOnline(true);
      setReachable(true);
      void resume();
    };
    const down = () => setBrowserOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, [resume]);

  // Whatever was left unanswered the last time (a crash, a closed app) goes out again once someone is signed in.
  useEffect(() => {
    if (credentials.operatorSession) void resume();
  }, [credentials.operatorSession, resume]);

  const call = useCallback(
    async <T,>(work: (client: TerminalApi) => Promise<T>): Promise<T> => {
      try {
        const result = await work(client);
        setReachable(true);
        return result;
      } catch (error) {
        if (isNetworkError(error)) setReachable(false);
        const refused = refusal(error);
        if (refused?.code === 'OPERATOR_SESSION_REQUIRED') {
          window.sessionStorage.removeItem(OPERATOR_KEY);
          setCredentials((current) => ({ ...current, operatorSession: undefined, operatorNo: undefined }));
        }
        if (refused?.code === 'TERMINAL_KEY_INVALID') {
          window.localStorage.removeItem(TERMINAL_KEY);
          window.sessionStorage.removeItem(OPERATOR_KEY);
          setCredentials({});
        }
        throw error;
      } finally {
        await refreshPending();
      }
    },
    [client, refreshPending],
  );

  const value = useMemo<TerminalContext>(
    () => ({
      client,
      credentials,
      online: browserOnline && reachable,
      pendingCount,
      resuming,
      call,
      resume,
      onResumed(listener) {
        listeners.current.add(listener);
        return () => {
          listeners.current.delete(listener);
        };
      },
      async activate(code) {
        const activated = await call((c) => c.activate(code));
        window.localStorage.setItem(
          TERMINAL_KEY,
          JSON.stringify({ terminal_id: activated.terminal_id, terminal_key: activated.terminal_key }),
        );
        setCredentials({ terminalId: activated.terminal_id, terminalKey: activated.terminal_key });
      },
      async signIn(operatorNo, password) {
        const { operator_session } = await call((c) => c.signIn(operatorNo, password));
        window.sessionStorage.setItem(OPERATOR_KEY, JSON.stringify({ operator_session, operator_no: operatorNo }));
        setCredentials((current) => ({ ...current, operatorSession: operator_session, operatorNo }));
      },
      async signOut() {
        try {
          await call((c) => c.signOut());
        } catch {
          // The SDK has forgotten the session whatever the answer; at the counter, signing out must always work.
        }
        window.sessionStorage.removeItem(OPERATOR_KEY);
        setCredentials((current) => ({ ...current, operatorSession: undefined, operatorNo: undefined }));
      },
      forgetTerminal() {
        window.localStorage.removeItem(TERMINAL_KEY);
        window.sessionStorage.removeItem(OPERATOR_KEY);
        setCredentials({});
      },
    }),
    [client, credentials, browserOnline, reachable, pendingCount, resuming, call, resume],
  );

  return <Context.Provider value={value}>{children}</Context.Provider>;
}

/** The first API object of the given kind in what resume() answered (however the SDK nests its answers). */
export function findObject<T>(answers: unknown, kind: string): T | undefined {
  if (!answers || typeof answers !== 'object') return undefined;
  if ((answers as { object?: unknown }).object === kind) return answers as T;
  for (const value of Object.values(answers)) {
    const found = findObject<T>(value, kind);
    if (found) return found;
  }
  return undefined;
}

/** The person-readable text of an error from the SDK (the server's message is already in the page's language). */
export function errorText(error: unknown, t: (key: string) => string): string {
  if (isNetworkError(error)) return t('errors.network');
  const refused = refusal(error);
  if (refused) return refused.message;
  return error instanceof Error ? error.message : t('errors.unknown');
}

export { isNetworkError, refusal };
