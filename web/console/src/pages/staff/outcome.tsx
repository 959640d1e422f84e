import { Alert } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ReauthCanceled } from '../../reauth.js';
import { errorText } from '../sign-in/SignInPage.js';

/**
 * The result of the page's last action, shown above its lists: a success in a `status` region (read out by screen
 * readers), a refusal in an `alert` with the server's message. Shared by the staff, stores and terminals pages.
 */
export function useOutcome(): {
  succeeded: (text: string) => void;
  failed: (error: unknown) => void;
  clear: () => void;
  banner: ReactNode;
} {
  const { t } = useTranslation();
  const [done, setDone] = useState<string>();
  const [error, setError] = useState<string>();
  return {
    succeeded: (text) => {
      setError(undefined);
      setDone(text);
    },
    failed: (e) => {
      setDone(undefined);
      setError(e instanceof ReauthCanceled ? t('shell.reauth.canceled') : errorText(e, t('shell.error.unknown')));
    },
    clear: () => {
      setDone(undefined);
      setError(undefined);
    },
    banner: (
      <>
        <div role="status" aria-live="polite">
          {done && <Alert type="success" showIcon title={done} style={{ marginBottom: 16 }} />}
        </div>
        {error && <Alert type="error" role="alert" showIcon title={error} style={{ marginBottom: 16 }} />}
      </>
    ),
  };
}

/** A refusal inside a dialog (the page's banner is behind it), with the server's message. */
export function Problem({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <Alert
      type="error"
      role="alert"
      showIcon
      title={errorText(error, t('shell.error.unknown'))}
      style={{ marginBottom: 16 }}
    />
  );
}

/** A table's "nothing here" text, readable (antd's own grey is below WCAG AA contrast). */
export function EmptyText({ text }: { text: string }) {
  return <span style={{ color: 'rgba(0, 0, 0, 0.65)' }}>{text}</span>;
}

/** The stores of the signed-in person (GET /v1/stores), by id, for names in lists and choices in forms. */
export const STORES_QUERY = ['stores'] as const;
