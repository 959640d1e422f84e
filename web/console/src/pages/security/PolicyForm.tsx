import { Button, Form, InputNumber, Space, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import type { paths } from '../../../../../src/sdk/api-types.js';

/** The body of PUT /v1/stores/{id}/refund-policy: the whole policy, which replaces the store's. */
export type PolicyBody = paths['/v1/stores/{id}/refund-policy']['put']['requestBody']['content']['application/json'];

/** The form's fields: amounts in yuan as typed, counts as numbers; an empty field is "no cap". */
interface Fields {
  key_only_max: number;
  key_and_code_max: number;
  original_tender_only: boolean;
  cash_refund_cap: number | null;
  operator_daily_amount: number | null;
  operator_daily_count: number | null;
  store_daily_amount: number | null;
  store_daily_count: number | null;
  velocity_count: number;
  velocity_window_minutes: number;
}

const yuan = (fen: number | null | undefined) => (fen == null ? null : fen / 100);
const fen = (v: number | null | undefined) => (v == null ? null : Math.round(v * 100));

function fieldsOf(p: PolicyBody): Fields {
  return {
    key_only_max: yuan(p.thresholds?.key_only_max) ?? 200,
    key_and_code_max: yuan(p.thresholds?.key_and_code_max) ?? 2000,
    original_tender_only: p.original_tender_only ?? true,
    cash_refund_cap: yuan(p.cash_refund_cap),
    operator_daily_amount: yuan(p.caps?.operator_daily_amount),
    operator_daily_count: p.caps?.operator_daily_count ?? null,
    store_daily_amount: yuan(p.caps?.store_daily_amount),
    store_daily_count: p.caps?.store_daily_count ?? null,
    velocity_count: p.velocity?.count ?? 3,
    velocity_window_minutes: p.velocity?.window_minutes ?? 10,
  };
}

/** The policy with the form's values; what the form does not show (the refund windows) stays as it was. */
function policyOf(before: PolicyBody, f: Fields): PolicyBody {
  return {
    ...before,
    thresholds: { key_only_max: fen(f.key_only_max) ?? 0, key_and_code_max: fen(f.key_and_code_max) ?? 0 },
    original_tender_only: f.original_tender_only,
    cash_refund_cap: fen(f.cash_refund_cap),
    caps: {
      operator_daily_amount: fen(f.operator_daily_amount),
      operator_daily_count: f.operator_daily_count ?? null,
      store_daily_amount: fen(f.store_daily_amount),
      store_daily_count: f.store_daily_count ?? null,
    },
    velocity: { count: f.velocity_count, window_minutes: f.velocity_window_minutes },
  };
}

/** The owner's editor of one store's refund policy: thresholds, tender rule, caps, velocity alert. */
export function PolicyForm({
  storeName,
  policy,
  saving,
  onSave,
  onCancel,
}: {
  storeName: string;
  policy: PolicyBody;
  saving: boolean;
  onSave: (policy: PolicyBody) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Fields>();
  const money = { min: 0, max: 1_000_000_000, precision: 2, prefix: '¥', style: { width: '100%' } };
  const count = { min: 1, max: 100_000_000, precision: 0, style: { width: '100%' } };
  const k = (key: string) => t(`security.policies.fields.${key}`);
  return (
    <Form
      form={form}
      layout="vertical"
      requiredMark={false}
      initialValues={fieldsOf(policy)}
      aria-label={t('security.policies.formName', { name: storeName })}
      onFinish={(f) => onSave(policyOf(policy, f))}
    >
      <Form.Item label={k('keyOnlyMax')} name="key_only_max" rules={[{ required: true, message: '' }]}>
        <InputNumber {...money} />
      </Form.Item>
      <Form.Item
        label={k('keyAndCodeMax')}
        name="key_and_code_max"
        dependencies={['key_only_max']}
        rules={[
          { required: true, message: '' },
          ({ getFieldValue }) => ({
            validator: (_, v: number | null) =>
              v == null || v >= (getFieldValue('key_only_max') ?? 0)
                ? Promise.resolve()
                : Promise.reject(new Error(t('security.policies.thresholdOrder'))),
          }),
        ]}
      >
        <InputNumber {...money} />
      </Form.Item>
      <Form.Item label={k('originalTenderOnly')} name="original_tender_only" valuePropName="checked">
        <Switch />
      </Form.Item>
      <Form.Item label={k('cashRefundCap')} name="cash_refund_cap" extra={t('security.policies.emptyNoCap')}>
        <InputNumber {...money} min={0.01} />
      </Form.Item>
      <Form.Item label={k('operatorDailyAmount')} name="operator_daily_amount">
        <InputNumber {...money} min={0.01} />
      </Form.Item>
      <Form.Item label={k('operatorDailyCount')} name="operator_daily_count">
        <InputNumber {...count} />
      </Form.Item>
      <Form.Item label={k('storeDailyAmount')} name="store_daily_amount">
        <InputNumber {...money} min={0.01} />
      </Form.Item>
      <Form.Item label={k('storeDailyCount')} name="store_daily_count">
        <InputNumber {...count} />
      </Form.Item>
      <Form.Item label={k('velocityCount')} name="velocity_count" rules={[{ required: true, message: '' }]}>
        <InputNumber {...count} min={2} max={100} />
      </Form.Item>
      <Form.Item label={k('velocityWindow')} name="velocity_window_minutes" rules={[{ required: true, message: '' }]}>
        <InputNumber {...count} max={24 * 60} />
      </Form.Item>
      <Space wrap>
        <Button type="primary" htmlType="submit" loading={saving}>
          {t('security.policies.save')}
        </Button>
        <Button onClick={onCancel}>{t('security.totp.cancel')}</Button>
      </Space>
    </Form>
  );
}
