import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Radio, Result, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useSearchParams } from 'react-router';
import { api, unwrap } from '../../api.js';
import { formatBeijing } from '../../format.js';
import { PublicPage } from '../../Shell.js';
import { problemText } from '../security/problem.js';
import { NewPasswordFields } from '../sign-in/NewPasswordFields.js';
import { RefundKeyReset } from './RefundKeyReset.js';
import { ResetCodeField } from './ResetCodeField.js';

type Values = { token: string; password: string; confirm: string; new_phone?: string };
type Mode = 'account' | 'key';

/**
 * Reset account (重设账户), the owner's end of an approved support case (`/console/account-reset`, public): the reset
 * code from the registered phone or e-mail (or #code= in the message's link), a new password typed twice, and for a lost phone the new number.
 * Every old second factor is gone afterwards: the next sign-in goes on to set up a new one. A forgotten-key case sets
 * a new refund key instead, signed in as the owner (RefundKeyReset).
 */
export function AccountResetPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  // The message's link carries the code after #, which never reaches a server or a Referer header.
  const code = new URLSearchParams(useLocation().hash.slice(1)).get('code') ?? '';
  const mode: Mode = params.get('mode') === 'key' ? 'key' : 'account';
  const reset = useMutation({
    mutationFn: (v: Values) =>
      unwrap(
        api.POST('/v1/support/resets/account', {
          body: {
            token: v.token.trim(),
            new_password: v.password,
            ...(v.new_phone?.trim() ? { new_phone: v.new_phone.trim() } : {}),
          },
        }),
      ),
  });
  const [phoneAt, setPhoneAt] = useState<string | null>(null);

  return (
    <PublicPage>
      <Typography.Title level={1}>{t('support.reset.title')}</Typography.Title>
      {reset.isSuccess ? (
        <Result
          status="success"
          title={<span role="status">{t('support.reset.done')}</span>}
          subTitle={phoneAt ? t('support.reset.phoneAt', { time: formatBeijing(phoneAt) }) : undefined}
          extra={
            <Link to="/login" className="ant-btn ant-btn-primary">
              {t('support.reset.signIn')}
            </Link>
          }
        />
      ) : (
        <>
          <Typography.Paragraph>{t('support.reset.intro')}</Typography.Paragraph>
          <Radio.Group
            aria-label={t('support.reset.mode')}
            optionType="button"
            value={mode}
            onChange={(e) => setParams(e.target.value === 'key' ? { mode: 'key' } : {})}
            options={[
              { value: 'account', label: t('support.reset.modeAccount') },
              { value: 'key', label: t('support.reset.modeKey') },
            ]}
            style={{ marginBottom: 16 }}
          />
          {mode === 'key' ? (
            <RefundKeyReset initialCode={code} />
          ) : (
            <Form<Values>
              layout="vertical"
              requiredMark={false}
              initialValues={{ token: code }}
              onFinish={(values) => reset.mutate(values, { onSuccess: (done) => setPhoneAt(done.phone_effective_at) })}
            >
              <ResetCodeField />
              <NewPasswordFields label={t('support.reset.password')} confirmLabel={t('support.reset.confirm')} />
              <Form.Item
                label={t('support.reset.newPhone')}
                name="new_phone"
                extra={t('support.reset.newPhoneHelp')}
                rules={[{ pattern: /^\+?[0-9]{6,20}$/, message: t('support.reset.newPhoneHelp') }]}
              >
                <Input type="tel" autoComplete="tel" />
              </Form.Item>
              {reset.isError && (
                <Alert type="error" showIcon title={problemText(reset.error, t)} style={{ marginBottom: 16 }} />
              )}
              <Button type="primary" htmlType="submit" block loading={reset.isPending}>
                {t('support.reset.submit')}
              </Button>
            </Form>
          )}
        </>
      )}
      <Typography.Paragraph style={{ marginTop: 16 }}>
        <Link to="/login">{t('signIn.reset.backToSignIn')}</Link>
      </Typography.Paragraph>
    </PublicPage>
  );
}
