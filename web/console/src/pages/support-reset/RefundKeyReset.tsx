import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../../api.js';
import { useReauth } from '../../reauth.js';
import { useSession } from '../../session.js';
import { problemText } from '../security/problem.js';
import { ResetCodeField } from './ResetCodeField.js';

type Values = { token: string; new_key: string; confirm_key: string };

/**
 * A forgotten refund key (support case of that kind): the owner, signed in, types the reset code in place of the phone
 * code and a new key twice; the server asks to re-confirm the password or passkey first (useReauth).
 */
export function RefundKeyReset({ initialCode }: { initialCode: string }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const withReauth = useReauth();
  const save = useMutation({
    mutationFn: (v: Values) =>
      withReauth(() =>
        unwrap(
          api.POST('/v1/support/resets/refund-key', {
            body: { token: v.token.trim(), new_key: v.new_key, confirm_key: v.confirm_key },
          }),
        ),
      ),
  });
  // Back here after signing in, with the code in the fragment, as the message's link had it (never in a query).
  const next = `/account-reset?mode=key${initialCode ? `#code=${encodeURIComponent(initialCode)}` : ''}`;

  if (!user) {
    return (
      <>
        <Typography.Paragraph>{t('support.reset.keyIntro')}</Typography.Paragraph>
        <Link to={`/login?next=${encodeURIComponent(next)}`}>{t('support.reset.keySignIn')}</Link>
      </>
    );
  }
  if (user.role !== 'owner') return <Alert type="warning" showIcon title={t('support.reset.keyOwnerOnly')} />;
  if (save.isSuccess) return <Alert type="success" showIcon role="status" title={t('support.reset.keyDone')} />;
  return (
    <Form<Values>
      layout="vertical"
      requiredMark={false}
      initialValues={{ token: initialCode }}
      onFinish={(values) => save.mutate(values)}
    >
      <Typography.Paragraph>{t('support.reset.keyIntro')}</Typography.Paragraph>
      <ResetCodeField />
      <Form.Item label={t('support.reset.newKey')} name="new_key" rules={[{ required: true, message: '' }]}>
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        label={t('support.reset.confirmKey')}
        name="confirm_key"
        dependencies={['new_key']}
        rules={[
          { required: true, message: '' },
          ({ getFieldValue }) => ({
            validator: (_rule, value) =>
              !value || getFieldValue('new_key') === value
                ? Promise.resolve()
                : Promise.reject(new Error(t('support.reset.keyMismatch'))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      {save.isError && <Alert type="error" showIcon title={problemText(save.error, t)} style={{ marginBottom: 16 }} />}
      <Button type="primary" htmlType="submit" block loading={save.isPending}>
        {t('support.reset.keySubmit')}
      </Button>
    </Form>
  );
}
