import { Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';

/** A new login password typed twice (invitation, password reset); the server checks its strength and says why. */
export function NewPasswordFields({ label, confirmLabel }: { label: string; confirmLabel: string }) {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item label={label} name="password" rules={[{ required: true, message: '' }]}>
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        label={confirmLabel}
        name="confirm"
        dependencies={['password']}
        rules={[
          { required: true, message: '' },
          ({ getFieldValue }) => ({
            validator: (_rule, value) =>
              !value || getFieldValue('password') === value
                ? Promise.resolve()
                : Promise.reject(new Error(t('signIn.invitation.mismatch'))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
    </>
  );
}
