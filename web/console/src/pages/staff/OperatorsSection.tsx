import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Form, Modal, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api.js';
import { formatYuan } from '../../format.js';
import {
  NewOperatorFields,
  type OperatorPermissions,
  PermissionFields,
  type PermissionValues,
  toPermissions,
  toValues,
} from './OperatorForms.js';
import { EmptyText, Problem, STORES_QUERY, useOutcome } from './outcome.js';
import type { StaffMember } from './StaffPage.js';

const fetchOperators = () => unwrap(api.GET('/v1/operators'));
type Operator = Awaited<ReturnType<typeof fetchOperators>>['data'][number];
const OPERATORS_QUERY = ['operators'] as const;
const ALL: PermissionValues = { may_refund: true, may_void: true, may_settle: true, refund_cap_yuan: null };
const NOWRAP = () => ({ style: { whiteSpace: 'nowrap' as const } });
type NewValues = PermissionValues & { store_id: string; staff_id: string; operator_no: string; name?: string };

/** 操作员: the operator numbers of the stores in scope, created for a staff member, with permissions and a refund cap. */
export function OperatorsSection({ staff }: { staff: StaffMember[] }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const outcome = useOutcome();
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<Operator>();
  const [addForm] = Form.useForm<NewValues>();
  const [editForm] = Form.useForm<PermissionValues>();
  const storeId = Form.useWatch('store_id', addForm);
  const operators = useQuery({ queryKey: OPERATORS_QUERY, queryFn: fetchOperators });
  const stores = useQuery({ queryKey: STORES_QUERY, queryFn: () => unwrap(api.GET('/v1/stores')) });
  const storeName = (id: string) => stores.data?.data.find((s) => s.id === id)?.name ?? id;
  const staffName = (id: string | null) => staff.find((s) => s.id === id)?.name ?? '—';
  const refresh = () => queryClient.invalidateQueries({ queryKey: OPERATORS_QUERY });

  const create = useMutation({
    mutationFn: ({ store_id, staff_id, operator_no, name, ...p }: NewValues) =>
      unwrap(
        api.POST('/v1/operators', {
          body: { store_id, staff_id, operator_no, permissions: toPermissions(p), ...(name?.trim() ? { name } : {}) },
        }),
      ),
    onMutate: outcome.clear,
    onSuccess: (o) => {
      setAdding(false);
      addForm.resetFields();
      outcome.succeeded(t('staff.operators.created', { no: o.operator_no, to: o.password_sent_to }));
    },
    onSettled: refresh,
  });
  const save = useMutation({
    mutationFn: ({ o, p }: { o: Operator; p: OperatorPermissions }) =>
      unwrap(api.POST('/v1/operators/{id}/permissions', { params: { path: { id: o.id } }, body: p })),
    onMutate: outcome.clear,
    onSuccess: (o) => {
      setEditing(undefined);
      outcome.succeeded(t('staff.operators.saved', { no: o.operator_no }));
    },
    onSettled: refresh,
  });

  const summary = (p: Operator['permissions']) => (
    <Space size={[4, 4]} wrap>
      {p.may_refund && <Tag>{t('staff.operators.refund')}</Tag>}
      {p.may_void && <Tag>{t('staff.operators.void')}</Tag>}
      {p.may_settle && <Tag>{t('staff.operators.settle')}</Tag>}
      <Tag>
        {p.refund_cap === null
          ? t('staff.operators.noCap')
          : t('staff.operators.cap', { amount: formatYuan(p.refund_cap) })}
      </Tag>
    </Space>
  );
  const columns = [
    { title: t('staff.operators.number'), dataIndex: 'operator_no', key: 'no', onHeaderCell: NOWRAP },
    { title: t('staff.operators.name'), dataIndex: 'name', key: 'name', responsive: ['sm' as const] },
    { title: t('staff.operators.store'), dataIndex: 'store_id', key: 'store', render: storeName },
    {
      title: t('staff.operators.staff'),
      dataIndex: 'staff_id',
      key: 'staff',
      render: staffName,
      responsive: ['md' as const],
    },
    {
      title: t('staff.status'),
      dataIndex: 'status',
      key: 'status',
      responsive: ['sm' as const],
      render: (s: Operator['status']) => t(`staff.statuses.${s}`),
    },
    { title: t('staff.operators.permissions'), dataIndex: 'permissions', key: 'permissions', render: summary },
    {
      title: t('staff.actions'),
      key: 'actions',
      render: (_: unknown, o: Operator) => (
        <Button
          size="small"
          aria-label={t('staff.operators.permissionsLabel', { no: `${o.operator_no} · ${storeName(o.store_id)}` })}
          onClick={() => {
            editForm.setFieldsValue(toValues(o.permissions));
            setEditing(o);
          }}
        >
          {t('staff.operators.permissions')}
        </Button>
      ),
    },
  ];

  return (
    <section aria-labelledby="operators-title" style={{ marginTop: 32 }}>
      <Typography.Title level={2} id="operators-title" style={{ fontSize: 20 }}>
        {t('staff.operators.title')}
      </Typography.Title>
      <Typography.Paragraph>{t('staff.operators.intro')}</Typography.Paragraph>
      <Button onClick={() => setAdding(true)} style={{ marginBottom: 16 }}>
        {t('staff.operators.add')}
      </Button>
      {outcome.banner}
      <Table<Operator>
        aria-label={t('staff.operators.table')}
        rowKey="id"
        size="small"
        loading={operators.isLoading}
        dataSource={operators.data?.data ?? []}
        columns={columns}
        pagination={false}
        scroll={{ x: true }}
        locale={{ emptyText: <EmptyText text={t('staff.operators.empty')} /> }}
      />
      <Modal
        open={adding}
        title={t('staff.operators.addTitle')}
        onCancel={() => setAdding(false)}
        footer={null}
        forceRender
      >
        <Form
          form={addForm}
          name="new-operator"
          layout="vertical"
          requiredMark={false}
          initialValues={ALL}
          onFinish={(v) => create.mutate(v)}
        >
          <NewOperatorFields stores={stores.data?.data ?? []} staff={staff} storeId={storeId} />
          <PermissionFields />
          <Problem error={create.error} />
          <Space wrap>
            <Button type="primary" htmlType="submit" loading={create.isPending}>
              {t('staff.operators.create')}
            </Button>
            <Button onClick={() => setAdding(false)}>{t('staff.cancel')}</Button>
          </Space>
        </Form>
      </Modal>
      <Modal
        open={editing !== undefined}
        title={editing && t('staff.operators.editTitle', { no: editing.operator_no })}
        onCancel={() => setEditing(undefined)}
        footer={null}
        forceRender
      >
        <Form
          form={editForm}
          name="operator-permissions"
          layout="vertical"
          onFinish={(v) => editing && save.mutate({ o: editing, p: toPermissions(v) })}
        >
          <PermissionFields />
          <Problem error={save.error} />
          <Space wrap>
            <Button type="primary" htmlType="submit" loading={save.isPending}>
              {t('staff.operators.save')}
            </Button>
            <Button onClick={() => setEditing(undefined)}>{t('staff.cancel')}</Button>
          </Space>
        </Form>
      </Modal>
    </section>
  );
}
