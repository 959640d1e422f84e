import { useQuery } from '@tanstack/react-query';
import { Form, Input, InputNumber, Radio, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api.js';
import { formatYuan } from '../../format.js';

export type RatePlan = Awaited<ReturnType<typeof fetchPlans>>['data'][number];
const fetchPlans = () => unwrap(api.GET('/v1/apply/rate-plans'));

/** What the applicant fills in (and amends when asked), phone aside. */
export interface DetailsValues {
  business_name: string;
  credit_code: string;
  legal_rep: string;
  email?: string;
  address: string;
  bank_name: string;
  bank_account: string;
  terminal_count: number;
  rate_plan_id: string;
}

/** The details as the API takes them (an empty e-mail left out). */
export function detailsBody(values: DetailsValues) {
  const { email, ...rest } = values;
  return { ...rest, ...(email?.trim() ? { email: email.trim() } : {}) };
}

/** 60 bps → "0.60%", with the cap in yuan when there is one. */
function feeText(t: (key: string, o?: Record<string, string>) => string, fee: { bps: number; cap: number | null }) {
  const rate = `${(fee.bps / 100).toFixed(2)}%`;
  return fee.cap === null ? rate : t('apply.capped', { rate, cap: formatYuan(fee.cap) });
}

/** The settlement account: shown in full while typed, only its last 4 digits once the field is left. */
function BankAccountInput({
  value = '',
  onChange,
  id,
}: {
  value?: string;
  onChange?: (value: string) => void;
  id?: string;
}) {
  const [editing, setEditing] = useState(false);
  const digits = value.replace(/\s/g, '');
  const masked = digits.length > 4 ? `**** **** ${digits.slice(-4)}` : digits;
  return (
    <Input
      id={id}
      inputMode="numeric"
      autoComplete="off"
      value={editing ? value : masked}
      onFocus={() => setEditing(true)}
      onBlur={() => setEditing(false)}
      onChange={(e) => onChange?.(e.target.value)}
    />
  );
}

/** The fields of an application (Form.Items of the caller's Form). */
export function ApplicationFields() {
  const { t } = useTranslation();
  const plans = useQuery({ queryKey: ['apply-rate-plans'], queryFn: fetchPlans });
  const required = { required: true, message: t('apply.required') };
  return (
    <>
      <Form.Item name="business_name" label={t('apply.businessName')} rules={[required, { min: 2, max: 100 }]}>
        <Input autoComplete="organization" />
      </Form.Item>
      <Form.Item
        name="credit_code"
        label={t('apply.creditCode')}
        extra={t('apply.creditCodeHelp')}
        rules={[required, { pattern: /^[0-9A-Za-z\s-]{18,24}$/, message: t('apply.invalidCreditCode') }]}
      >
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item name="legal_rep" label={t('apply.legalRep')} rules={[required, { min: 2, max: 50 }]}>
        <Input autoComplete="name" />
      </Form.Item>
      <Form.Item name="email" label={t('apply.email')} rules={[{ type: 'email' }]}>
        <Input autoComplete="email" />
      </Form.Item>
      <Form.Item name="address" label={t('apply.address')} rules={[required, { min: 5, max: 200 }]}>
        <Input autoComplete="street-address" />
      </Form.Item>
      <Form.Item name="bank_name" label={t('apply.bankName')} rules={[required, { min: 2, max: 100 }]}>
        <Input />
      </Form.Item>
      <Form.Item
        name="bank_account"
        label={t('apply.bankAccount')}
        extra={t('apply.bankAccountHelp')}
        rules={[required, { pattern: /^[0-9 ]{12,32}$/, message: t('apply.invalidAccount') }]}
      >
        <BankAccountInput />
      </Form.Item>
      <Form.Item name="terminal_count" label={t('apply.terminalCount')} rules={[required]}>
        <InputNumber min={1} max={50} precision={0} />
      </Form.Item>
      <Form.Item name="rate_plan_id" label={t('apply.ratePlan')} rules={[required]}>
        <Radio.Group>
          <Space direction="vertical">
            {(plans.data?.data ?? []).map((plan) => (
              <Radio key={plan.id} value={plan.id}>
                <Typography.Text strong>{plan.name}</Typography.Text>
                <br />
                <Typography.Text type="secondary">
                  {t('apply.fees', {
                    card: feeText(t, plan.fees.bank_card),
                    qr: feeText(t, plan.fees.qr),
                    order: feeText(t, plan.fees.order),
                    cash: feeText(t, plan.fees.cash),
                  })}
                </Typography.Text>
              </Radio>
            ))}
          </Space>
        </Radio.Group>
      </Form.Item>
    </>
  );
}
