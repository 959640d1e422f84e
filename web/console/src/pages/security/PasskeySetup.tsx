import { startRegistration } from '@simplewebauthn/browser';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api.js';
import { useReauth } from '../../reauth.js';
import { problemText } from './problem.js';

export type PasskeyAdded = { name: string; backup_codes?: string[] };

/**
 * Name a passkey and make it on this device (POST /v1/me/passkeys/options, the browser's fingerprint/face/PIN
 * prompt, POST /v1/me/passkeys). The first factor of a person also answers ten backup codes, shown once by the caller.
 */
export function PasskeySetup({ onAdded }: { onAdded: (added: PasskeyAdded) => void }) {
  const { t } = useTranslation();
  const withReauth = useReauth();
  const [error, setError] = useState<string>();
  const [form] = Form.useForm<{ name: string }>();
  const add = useMutation({
    mutationFn: async ({ name }: { name: string }) => {
      const options = await unwrap(api.POST('/v1/me/passkeys/options', { body: {} }));
      const response = await startRegistration({ optionsJSON: options as never });
      return withReauth(() => unwrap(api.POST('/v1/me/passkeys', { body: { name, response: response as never } })));
    },
    onMutate: () => setError(undefined),
    onSuccess: (added) => {
      form.resetFields();
      onAdded(added);
    },
    onError: (e) => setError(problemText(e, t)),
  });
  return (
    <Form
      form={form}
      layout="vertical"
      requiredMark={false}
      initialValues={{ name: t('security.passkeys.defaultName') }}
      onFinish={(values) => add.mutate({ name: values.name.trim() })}
    >
      <Form.Item
        label={t('security.passkeys.name')}
        name="name"
        rules={[{ required: true, whitespace: true, message: '' }]}
      >
        <Input maxLength={64} autoComplete="off" />
      </Form.Item>
      {error && <Alert type="error" title={error} style={{ marginBottom: 16 }} />}
      <Button type="primary" htmlType="submit" loading={add.isPending}>
        {t('security.passkeys.add')}
      </Button>
    </Form>
  );
}
