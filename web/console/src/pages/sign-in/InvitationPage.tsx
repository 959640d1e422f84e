import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../../api.js';
import { PublicPage } from '../../Shell.js';
import { type SignedInAnswer, useSession } from '../../session.js';
import { problemText } from '../security/problem.js';
import { NewPasswordFields } from './NewPasswordFields.js';

type Values = { token: string; password: string; confirm: string };

/**
 * Accept an invitation (接受邀请): the code from the SMS or e-mail (or ?token=), one's own password typed twice; the
 * answer signs in, and an owner or manager goes on to set up a second factor.
 */
export function InvitationPage() {
  const { t } = useTranslation();
  const { signedIn } = useSession();
  const [params] = useSearchParams();
  const accept = useMutation({
    mutationFn: ({ token, password }: Values) =>
      unwrap(api.POST('/v1/auth/invitations/accept', { body: { token: token.trim(), password } })),
    onSuccess: (answer) => signedIn(answer as SignedInAnswer),
  });
  return (
    <PublicPage>
      <Typography.Title level={1}>{t('signIn.invitation.title')}</Typography.Title>
      <Typography.Paragraph>{t('signIn.invitation.intro')}</Typography.Paragraph>
      <Form<Values>
        layout="vertical"
        requiredMark={false}
        initialValues={{ token: params.get('token') ?? '' }}
        onFinish={(values) => accept.mutate(values)}
      >
        <Form.Item
          label={t('signIn.invitation.code')}
          name="token"
          extra={t('signIn.invitation.codeHelp')}
          rules={[{ required: true, whitespace: true, message: '' }]}
        >
          <Input autoComplete="off" spellCheck={false} />
        </Form.Item>
        <NewPasswordFields label={t('signIn.invitation.password')} confirmLabel={t('signIn.invitation.confirm')} />
        {accept.isError && <Alert type="error" title={problemText(accept.error, t)} style={{ marginBottom: 16 }} />}
        <Button type="primary" htmlType="submit" block loading={accept.isPending}>
          {t('signIn.invitation.submit')}
        </Button>
      </Form>
      <Typography.Paragraph style={{ marginTop: 16 }}>
        <Link to="/login">{t('signIn.reset.backToSignIn')}</Link>
      </Typography.Paragraph>
    </PublicPage>
  );
}
