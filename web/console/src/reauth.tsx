import { startAuthentication } from '@simplewebauthn/browser';
import { Alert, Button, Form, Input, Modal, Space, Typography } from 'antd';
import { createContext, type ReactNode, useCallback, useContext, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, isReauthRequired, unwrap } from './api.js';
import { isCeremonyFailure } from './pages/security/ceremony.js';

type Run = <T>(action: () => Promise<T>) => Promise<T>;
const ReauthContext = createContext<Run | undefined>(undefined);

/** Thrown by `withReauth` when the person closes the re-authentication dialog: the action did not happen. */
export class ReauthCanceled extends Error {
  constructor() {
    super('re-authentication canceled');
    this.name = 'ReauthCanceled';
  }
}

/**
 * Sensitive routes answer 401 REAUTH_REQUIRED when the password (or passkey) was not confirmed in the last few
 * minutes. `withReauth(action)` runs the action; on that answer it asks for the password or a passkey
 * (POST /v1/auth/reauth) and runs the action once more.
 */
export function ReauthProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ password: string }>();
  const pending = useRef<{ resolve: () => void; reject: (e: Error) => void } | undefined>(undefined);

  const ask = useCallback(
    () =>
      new Promise<void>((resolve, reject) => {
        pending.current = { resolve, reject };
        setError(undefined);
        form.resetFields();
        setOpen(true);
      }),
    [form],
  );

  const run = useCallback<Run>(
    async (action) => {
      try {
        return await action();
      } catch (error) {
        if (!isReauthRequired(error)) throw error;
        await ask();
        return await action();
      }
    },
    [ask],
  );

  const finish = () => {
    setOpen(false);
    pending.current?.resolve();
    pending.current = undefined;
  };
  const cancel = () => {
    setOpen(false);
    pending.current?.reject(new ReauthCanceled());
    pending.current = undefined;
  };
  const failed = (e: unknown) =>
    setError(
      e instanceof ApiError
        ? e.message
        : isCeremonyFailure(e)
          ? t('security.passkeyNotConfirmed')
          : t('shell.error.unknown'),
    );

  const withPassword = async ({ password }: { password: string }) => {
    setBusy(true);
    try {
      await unwrap(api.POST('/v1/auth/reauth', { body: { password } }));
      finish();
    } catch (e) {
      failed(e);
    } finally {
      setBusy(false);
    }
  };
  const withPasskey = async () => {
    setBusy(true);
    try {
      const options = await unwrap(api.POST('/v1/auth/reauth/passkey/options', { body: {} }));
      const response = await startAuthentication({ optionsJSON: options as never });
      await unwrap(api.POST('/v1/auth/reauth', { body: { method: 'passkey', response: response as never } }));
      finish();
    } catch (e) {
      failed(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <ReauthContext.Provider value={run}>
      {children}
      <Modal open={open} title={t('shell.reauth.title')} onCancel={cancel} footer={null} destroyOnHidden>
        <Typography.Paragraph>{t('shell.reauth.intro')}</Typography.Paragraph>
        <Form form={form} layout="vertical" onFinish={withPassword}>
          <Form.Item label={t('shell.reauth.password')} name="password" rules={[{ required: true, message: '' }]}>
            <Input.Password autoComplete="current-password" autoFocus />
          </Form.Item>
          {error && <Alert type="error" role="alert" title={error} style={{ marginBottom: 16 }} />}
          <Space wrap>
            <Button type="primary" htmlType="submit" loading={busy}>
              {t('shell.reauth.confirm')}
            </Button>
            <Button onClick={withPasskey} disabled={busy}>
              {t('shell.reauth.passkey')}
            </Button>
            <Button onClick={cancel}>{t('shell.reauth.cancel')}</Button>
          </Space>
        </Form>
      </Modal>
    </ReauthContext.Provider>
  );
}

export function useReauth(): Run {
  const run = useContext(ReauthContext);
  if (!run) throw new Error('useReauth outside ReauthProvider');
  return run;
}
