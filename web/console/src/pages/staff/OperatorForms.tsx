import { Form, Input, InputNumber, Select, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import type { StaffMember } from './StaffPage.js';

/** The permissions form's values: the cap in yuan as typed (the API takes fen). */
export interface PermissionValues {
  may_refund: boolean;
  may_void: boolean;
  may_settle: boolean;
  refund_cap_yuan?: number | null;
}

export interface OperatorPermissions {
  may_refund: boolean;
  may_void: boolean;
  may_settle: boolean;
  refund_cap: number | null;
}

export function toPermissions(v: PermissionValues): OperatorPermissions {
  return {
    may_refund: v.may_refund,
    may_void: v.may_void,
    may_settle: v.may_settle,
    refund_cap: v.refund_cap_yuan == null ? null : Math.round(v.refund_cap_yuan * 100),
  };
}

export function toValues(p: OperatorPermissions): PermissionValues {
  return { ...p, refund_cap_yuan: p.refund_cap === null ? null : p.refund_cap / 100 };
}

/** The three switches and the refund cap, inside a <Form>. */
export function PermissionFields() {
  const { t } = useTranslation();
  return (
    <>
      {(['may_refund', 'may_void', 'may_settle'] as const).map((name) => (
        <Form.Item key={name} label={t(`staff.operators.${camel(name)}`)} name={name} valuePropName="checked">
          <Switch />
        </Form.Item>
      ))}
      <Form.Item
        label={t('staff.operators.refundCap')}
        name="refund_cap_yuan"
        extra={t('staff.operators.refundCapHint')}
      >
        <InputNumber min={0} precision={2} style={{ width: 180 }} />
      </Form.Item>
    </>
  );
}

function camel(name: 'may_refund' | 'may_void' | 'may_settle') {
  return ({ may_refund: 'mayRefund', may_void: 'mayVoid', may_settle: 'maySettle' } as const)[name];
}

/** Store, staff member (those with a phone, working in that store, not disabled), number and display name. */
export function NewOperatorFields({
  stores,
  staff,
  storeId,
}: {
  stores: { id: string; name: string }[];
  staff: StaffMember[];
  storeId: string | undefined;
}) {
  const { t } = useTranslation();
  const required = { required: true, message: t('staff.required') };
  const eligible = staff.filter(
    (s) => s.phone && s.status !== 'disabled' && storeId && (s.store_ids === null || s.store_ids.includes(storeId)),
  );
  return (
    <>
      <Form.Item label={t('staff.operators.store')} name="store_id" rules={[required]}>
        <Select options={stores.map((s) => ({ value: s.id, label: s.name }))} />
      </Form.Item>
      <Form.Item
        label={t('staff.operators.staff')}
        name="staff_id"
        rules={[required]}
        extra={t('staff.operators.staffHint')}
      >
        <Select disabled={!storeId} options={eligible.map((s) => ({ value: s.id, label: `${s.name} (${s.login})` }))} />
      </Form.Item>
      <Form.Item
        label={t('staff.operators.number')}
        name="operator_no"
        rules={[required, { pattern: /^(0[1-9]|[1-9]\d)$/, message: t('staff.operators.numberRule') }]}
        extra={t('staff.operators.numberRule')}
      >
        <Input inputMode="numeric" maxLength={2} style={{ width: 100 }} autoComplete="off" />
      </Form.Item>
      <Form.Item label={t('staff.operators.name')} name="name" extra={t('staff.operators.nameHint')}>
        <Input maxLength={100} autoComplete="off" />
      </Form.Item>
    </>
  );
}
