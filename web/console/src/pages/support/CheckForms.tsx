import { Button, Form, Input, Radio, Select, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { type CheckBody, DOCUMENT_TYPES, LAST4 } from './support-api.js';

type DocumentValues = { document_type: (typeof DOCUMENT_TYPES)[number]; last4: string; outcome: 'passed' | 'failed' };
type LicenceValues = { last4: string; outcome: 'passed' | 'failed' };
type CallbackValues = { outcome: 'reached' | 'not_reached' };

/**
 * The identity checks an agent records: the ID document's type and the last 4 characters of its number, the last 4 of
 * the business licence number, and whether the call-back to the registered phone reached the owner. No field takes
 * more than 4 characters: a full number is never asked for (and the server refuses one).
 */
export function CheckForms({ busy, onRecord }: { busy: boolean; onRecord: (body: CheckBody) => void }) {
  const { t } = useTranslation();
  const last4Rules = [{ required: true, pattern: LAST4, message: t('support.checks.last4Rule') }];
  const passFail = (label: string) => (
    <Radio.Group
      aria-label={label}
      options={(['passed', 'failed'] as const).map((o) => ({ value: o, label: t(`support.checks.outcome.${o}`) }))}
    />
  );
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Paragraph style={{ margin: 0 }}>{t('support.checks.intro')}</Typography.Paragraph>
      <Form<DocumentValues>
        name="support-document"
        layout="vertical"
        requiredMark={false}
        initialValues={{ document_type: 'resident_id', outcome: 'passed' }}
        onFinish={(v) => onRecord({ kind: 'id_document', ...v, last4: v.last4.trim() })}
      >
        <Form.Item label={t('support.checks.documentType')} name="document_type">
          <Select
            options={DOCUMENT_TYPES.map((d) => ({ value: d, label: t(`support.documentType.${d}`) }))}
            style={{ maxWidth: 320 }}
          />
        </Form.Item>
        <Form.Item label={t('support.checks.documentLast4')} name="last4" rules={last4Rules}>
          <Input maxLength={4} autoComplete="off" spellCheck={false} style={{ maxWidth: 120 }} />
        </Form.Item>
        <Form.Item label={t('support.checks.result')} name="outcome">
          {passFail(`${t('support.checks.kind.id_document')}: ${t('support.checks.result')}`)}
        </Form.Item>
        <Button htmlType="submit" loading={busy}>
          {t('support.checks.recordDocument')}
        </Button>
      </Form>
      <Form<LicenceValues>
        name="support-licence"
        layout="vertical"
        requiredMark={false}
        initialValues={{ outcome: 'passed' }}
        onFinish={(v) => onRecord({ kind: 'business_licence', ...v, last4: v.last4.trim() })}
      >
        <Form.Item label={t('support.checks.licenceLast4')} name="last4" rules={last4Rules}>
          <Input maxLength={4} autoComplete="off" spellCheck={false} style={{ maxWidth: 120 }} />
        </Form.Item>
        <Form.Item label={t('support.checks.result')} name="outcome">
          {passFail(`${t('support.checks.kind.business_licence')}: ${t('support.checks.result')}`)}
        </Form.Item>
        <Button htmlType="submit" loading={busy}>
          {t('support.checks.recordLicence')}
        </Button>
      </Form>
      <Form<CallbackValues>
        name="support-callback"
        layout="vertical"
        requiredMark={false}
        initialValues={{ outcome: 'reached' }}
        onFinish={(v) => onRecord({ kind: 'callback', ...v })}
      >
        <Form.Item label={t('support.checks.callbackResult')} name="outcome">
          <Radio.Group
            aria-label={t('support.checks.callbackResult')}
            options={(['reached', 'not_reached'] as const).map((o) => ({
              value: o,
              label: t(`support.checks.outcome.${o}`),
            }))}
          />
        </Form.Item>
        <Button htmlType="submit" loading={busy}>
          {t('support.checks.recordCallback')}
        </Button>
      </Form>
    </Space>
  );
}
