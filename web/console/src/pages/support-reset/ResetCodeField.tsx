import { Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';

/** The `rst-…` reset code from the owner's SMS or e-mail, in the form field `token` (both reset forms). */
export function ResetCodeField() {
  const { t } = useTranslation();
  return (
    <Form.Item
      label={t('support.reset.code')}
      name="token"
      extra={t('support.reset.codeHelp')}
      rules={[{ required: true, whitespace: true, message: '' }]}
    >
      <Input autoComplete="one-time-code" spellCheck={false} />
    </Form.Item>
  );
}
