import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../../api.js';
import { PublicPage } from '../../Shell.js';
import { errorText } from '../sign-in/SignInPage.js';
import { ApplicationFields, type DetailsValues, detailsBody } from './ApplicationFields.js';
import { solveChallenge } from './pow.js';

interface ApplyValues extends DetailsValues {
  phone: string;
  code: string;
  website: string;
}

const PHONE = /^1[3-9]\d{9}$/;

/** 在线申请: the public application form; the phone is proved by an SMS code before the form can be sent. */
export function ApplyPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [form] = Form.useForm<ApplyValues>();
  const [error, setError] = useState<string>();
  const [sentTo, setSentTo] = useState<string>();
  const [proof, setProof] = useState<{ phone: string; token: string }>();
  // The challenge is asked for when the page opens: its issue time starts the minimum fill time.
  const challenge = useQuery({
    queryKey: ['apply-challenge'],
    queryFn: () => unwrap(api.GET('/v1/apply/challenge')),
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
  });
  const failed = (e: unknown) => setError(errorText(e, t('shell.error.unknown')));

  const sendCode = useMutation({
    mutationFn: (phone: string) => unwrap(api.POST('/v1/apply/phone-codes', { body: { phone } })),
    onMutate: () => setError(undefined),
    onSuccess: (answer) => setSentTo(answer.sent_to),
    onError: failed,
  });
  const verify = useMutation({
    mutationFn: (body: { phone: string; code: string }) => unwrap(api.POST('/v1/apply/phone-codes/verify', { body })),
    onMutate: () => setError(undefined),
    onSuccess: (answer, body) => setProof({ phone: body.phone, token: answer.phone_token }),
    onError: failed,
  });
  const submit = useMutation({
    mutationFn: async (values: ApplyValues) => {
      if (!proof || proof.phone !== values.phone) throw new Error(t('apply.verifyFirst'));
      const issued = challenge.data ?? (await challenge.refetch()).data;
      if (!issued) throw new Error(t('shell.error.unknown'));
      const solution = await solveChallenge(issued.challenge, issued.bits);
      return unwrap(
        api.POST('/v1/apply/applications', {
          body: {
            ...detailsBody(values),
            phone: values.phone,
            phone_token: proof.token,
            challenge: issued.challenge,
            solution,
            website: values.website ?? '',
          },
        }),
      );
    },
    onMutate: () => setError(undefined),
    onSuccess: (answer) => navigate(`/apply/status#${answer.status_token}`),
    onError: (e) => {
      setError(e instanceof Error && !('code' in e) ? e.message : errorText(e, t('shell.error.unknown')));
      void challenge.refetch(); // a challenge may have expired or been refused: the next try gets a fresh one
    },
  });

  const phoneOf = () => String(form.getFieldValue('phone') ?? '').trim();
  return (
    <PublicPage>
      <Typography.Title level={1}>{t('apply.title')}</Typography.Title>
      <Typography.Paragraph>{t('apply.intro')}</Typography.Paragraph>
      <Form<ApplyValues>
        form={form}
        layout="vertical"
        initialValues={{ terminal_count: 1, rate_plan_id: 'standard', website: '' }}
        onFinish={(values) => submit.mutate(values)}
        style={{ maxWidth: 640 }}
      >
        <Form.Item label={t('apply.phone')} required>
          <Space.Compact style={{ width: '100%' }}>
            <Form.Item
              name="phone"
              noStyle
              rules={[{ required: true, pattern: PHONE, message: t('apply.invalidPhone') }]}
            >
              <Input aria-label={t('apply.phone')} inputMode="tel" autoComplete="tel" disabled={Boolean(proof)} />
            </Form.Item>
            <Button
              onClick={() => (PHONE.test(phoneOf()) ? sendCode.mutate(phoneOf()) : setError(t('apply.invalidPhone')))}
              loading={sendCode.isPending}
              disabled={Boolean(proof)}
            >
              {t('apply.sendCode')}
            </Button>
          </Space.Compact>
        </Form.Item>
        {proof ? (
          <Alert type="success" showIcon role="status" message={t('apply.verified')} style={{ marginBottom: 24 }} />
        ) : (
          <Form.Item label={t('apply.code')} extra={sentTo && t('apply.codeSent', { to: sentTo })}>
            <Space.Compact style={{ width: '100%' }}>
              <Form.Item name="code" noStyle>
                <Input aria-label={t('apply.code')} inputMode="numeric" autoComplete="one-time-code" maxLength={6} />
              </Form.Item>
              <Button
                onClick={() => verify.mutate({ phone: phoneOf(), code: String(form.getFieldValue('code') ?? '') })}
                loading={verify.isPending}
              >
                {t('apply.verify')}
              </Button>
            </Space.Compact>
          </Form.Item>
        )}
        <ApplicationFields />
        {/* The honeypot: people never see it (display: none), form-filling bots do. */}
        <div style={{ display: 'none' }}>
          <Form.Item name="website" label={t('apply.website')}>
            <Input tabIndex={-1} autoComplete="off" />
          </Form.Item>
        </div>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
        {submit.isPending && (
          <Alert type="info" role="status" message={t('apply.checking')} style={{ marginBottom: 16 }} />
        )}
        <Button type="primary" htmlType="submit" loading={submit.isPending}>
          {t('apply.submit')}
        </Button>
      </Form>
    </PublicPage>
  );
}
