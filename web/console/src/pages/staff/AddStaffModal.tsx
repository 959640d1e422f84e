import { useMutation, useQuery } from '@tanstack/react-query';
import { Button, Form, Input, Modal, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api.js';
import { useSession } from '../../session.js';
import { Problem, STORES_QUERY } from './outcome.js';

type Role = 'owner' | 'manager' | 'cashier';
interface Values {
  login: string;
  name: string;
  phone?: string;
  email?: string;
  role: Role;
  store_ids?: string[];
}
type Created = Awaited<ReturnType<typeof create>>;
const create = (v: Values) =>
  unwrap(
    api.POST('/v1/staff', {
      body: {
        login: v.login.trim(),
        name: v.name.trim(),
        role: v.role,
        phone: v.phone?.trim() || null,
        email: v.email?.trim() || null,
        store_ids: v.role === 'owner' || !v.store_ids?.length ? null : v.store_ids,
      },
    }),
  );

/** "Add staff member": login, name, phone and/or e-mail (where the invitation goes), role, and stores. */
export function AddStaffModal({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (s: Created) => void;
}) {
  const { t } = useTranslation();
  const { user } = useSession();
  const [form] = Form.useForm<Values>();
  const role = Form.useWatch('role', form);
  const stores = useQuery({ queryKey: STORES_QUERY, queryFn: () => unwrap(api.GET('/v1/stores')) });
  const roles: Role[] = user?.role === 'owner' ? ['cashier', 'manager', 'owner'] : ['cashier'];
  const submit = useMutation({
    mutationFn: create,
    onSuccess: (created) => {
      form.resetFields();
      onCreated(created);
    },
  });
  const required = [{ required: true, whitespace: true, message: t('staff.required') }];
  const contact = ({ getFieldValue }: { getFieldValue: (name: string) => unknown }) => ({
    validator: () =>
      getFieldValue('phone') || getFieldValue('email')
        ? Promise.resolve()
        : Promise.reject(new Error(t('staff.contactNeeded'))),
  });

  return (
    <Modal open={open} title={t('staff.addTitle')} onCancel={onClose} footer={null} destroyOnHidden>
      <Form
        form={form}
        name="add-staff"
        layout="vertical"
        requiredMark={false}
        initialValues={{ role: 'cashier' }}
        onFinish={(values) => submit.mutate(values)}
      >
        <Form.Item label={t('staff.login')} name="login" rules={required}>
          <Input autoComplete="off" maxLength={254} />
        </Form.Item>
        <Form.Item label={t('staff.name')} name="name" rules={required}>
          <Input autoComplete="off" maxLength={100} />
        </Form.Item>
        <Form.Item label={t('staff.phone')} name="phone" dependencies={['email']} rules={[contact]}>
          <Input type="tel" inputMode="tel" autoComplete="off" maxLength={20} />
        </Form.Item>
        <Form.Item label={t('staff.email')} name="email" dependencies={['phone']} rules={[contact]}>
          <Input type="email" autoComplete="off" maxLength={254} />
        </Form.Item>
        <Form.Item label={t('staff.role')} name="role" rules={[{ required: true, message: t('staff.required') }]}>
          <Select options={roles.map((r) => ({ value: r, label: t(`staff.roles.${r}`) }))} />
        </Form.Item>
        {role !== 'owner' && (
          <Form.Item label={t('staff.stores')} name="store_ids" extra={t('staff.storesHint')}>
            <Select
              mode="multiple"
              allowClear
              options={(stores.data?.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
            />
          </Form.Item>
        )}
        <Problem error={submit.error} />
        <Space wrap>
          <Button type="primary" htmlType="submit" loading={submit.isPending}>
            {t('staff.create')}
          </Button>
          <Button onClick={onClose}>{t('staff.cancel')}</Button>
        </Space>
      </Form>
    </Modal>
  );
}
