import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api.js';
import { useReauth } from '../../reauth.js';
import { useSession } from '../../session.js';
import { AddStaffModal } from './AddStaffModal.js';
import { OperatorsSection } from './OperatorsSection.js';
import { EmptyText, STORES_QUERY, useOutcome } from './outcome.js';

const fetchStaff = () => unwrap(api.GET('/v1/staff'));
export type StaffMember = Awaited<ReturnType<typeof fetchStaff>>['data'][number];
export const STAFF_QUERY = ['staff'] as const;

/** 员工: the people of the merchant (a manager: the cashiers of their stores), invited, disabled, enabled; operators. */
export function StaffPage() {
  const { t } = useTranslation();
  const { user } = useSession();
  const withReauth = useReauth();
  const queryClient = useQueryClient();
  const outcome = useOutcome();
  const [adding, setAdding] = useState(false);
  const staff = useQuery({ queryKey: STAFF_QUERY, queryFn: fetchStaff });
  const stores = useQuery({ queryKey: STORES_QUERY, queryFn: () => unwrap(api.GET('/v1/stores')) });
  const storeName = (id: string) => stores.data?.data.find((s) => s.id === id)?.name ?? id;
  const refresh = () => queryClient.invalidateQueries({ queryKey: STAFF_QUERY });
  const sentTo = (to: string[]) => to.join(t('staff.listSeparator'));

  const resend = useMutation({
    mutationFn: (s: StaffMember) => unwrap(api.POST('/v1/staff/{id}/invitation', { params: { path: { id: s.id } } })),
    onMutate: outcome.clear,
    onSuccess: (answer) => outcome.succeeded(t('staff.resent', { to: sentTo(answer.invitation_sent_to) })),
    onError: outcome.failed,
  });
  const toggle = useMutation({
    mutationFn: ({ s, action }: { s: StaffMember; action: 'disable' | 'enable' }) =>
      withReauth(() =>
        unwrap(
          action === 'disable'
            ? api.POST('/v1/staff/{id}/disable', { params: { path: { id: s.id } } })
            : api.POST('/v1/staff/{id}/enable', { params: { path: { id: s.id } } }),
        ),
      ),
    onMutate: outcome.clear,
    onSuccess: (s, { action }) => outcome.succeeded(t(`staff.${action}d`, { name: s.name })),
    onError: outcome.failed,
    onSettled: refresh,
  });

  const columns = [
    { title: t('staff.name'), dataIndex: 'name', key: 'name' },
    { title: t('staff.login'), dataIndex: 'login', key: 'login', responsive: ['sm' as const] },
    {
      title: t('staff.role'),
      dataIndex: 'role',
      key: 'role',
      render: (role: StaffMember['role']) => t(`staff.roles.${role}`),
    },
    {
      title: t('staff.stores'),
      dataIndex: 'store_ids',
      key: 'stores',
      responsive: ['md' as const],
      render: (ids: string[] | null) => (ids === null ? t('staff.allStores') : ids.map(storeName).join(', ')),
    },
    {
      title: t('staff.status'),
      dataIndex: 'status',
      key: 'status',
      render: (status: StaffMember['status']) => <Tag>{t(`staff.statuses.${status}`)}</Tag>,
    },
    {
      title: t('staff.actions'),
      key: 'actions',
      render: (_: unknown, s: StaffMember) =>
        s.id === user?.id ? null : (
          <Space wrap size="small">
            {s.status === 'invited' && (
              <Button
                size="small"
                aria-label={t('staff.resendLabel', { name: s.name })}
                onClick={() => resend.mutate(s)}
              >
                {t('staff.resend')}
              </Button>
            )}
            {s.status === 'disabled' ? (
              <Button
                size="small"
                aria-label={t('staff.enableLabel', { name: s.name })}
                onClick={() => toggle.mutate({ s, action: 'enable' })}
              >
                {t('staff.enable')}
              </Button>
            ) : (
              <Popconfirm
                title={t('staff.disableConfirm', { name: s.name })}
                okText={t('staff.yes')}
                cancelText={t('staff.cancel')}
                onConfirm={() => toggle.mutate({ s, action: 'disable' })}
              >
                <Button size="small" danger aria-label={t('staff.disableLabel', { name: s.name })}>
                  {t('staff.disable')}
                </Button>
              </Popconfirm>
            )}
          </Space>
        ),
    },
  ];

  return (
    <>
      <Typography.Title level={1}>{t('staff.title')}</Typography.Title>
      <Typography.Paragraph>{t('staff.intro')}</Typography.Paragraph>
      <Button type="primary" onClick={() => setAdding(true)} style={{ marginBottom: 16 }}>
        {t('staff.add')}
      </Button>
      {outcome.banner}
      <Table<StaffMember>
        aria-label={t('staff.table')}
        rowKey="id"
        size="small"
        loading={staff.isLoading}
        dataSource={staff.data?.data ?? []}
        columns={columns}
        pagination={false}
        scroll={{ x: true }}
        locale={{ emptyText: <EmptyText text={t('staff.empty')} /> }}
      />
      <AddStaffModal
        open={adding}
        onClose={() => setAdding(false)}
        onCreated={(s) => {
          setAdding(false);
          void refresh();
          outcome.succeeded(
            s.invitation_sent_to.length > 0
              ? t('staff.invited', { name: s.name, to: sentTo(s.invitation_sent_to) })
              : t('staff.invitedNowhere', { name: s.name }),
          );
        }}
      />
      <OperatorsSection staff={staff.data?.data ?? []} />
    </>
  );
}
