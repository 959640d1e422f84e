import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api.js';
import { formatBeijing } from '../../format.js';
import { useReauth } from '../../reauth.js';
import { useSession } from '../../session.js';
import { EmptyText, Problem, STORES_QUERY, useOutcome } from '../staff/outcome.js';
import { CARD_TITLE } from '../stores/StoresPage.js';
import { ActivationCodeModal, type ShownCode } from './ActivationCode.js';
import { RatePlanCard } from './RatePlanCard.js';

const fetchTerminals = (storeId: string) =>
  unwrap(api.GET('/v1/stores/{id}/terminals', { params: { path: { id: storeId } } }));
type Terminal = Awaited<ReturnType<typeof fetchTerminals>>['data'][number];

const STACK = {
  listStyle: 'none',
  padding: 0,
  margin: 0,
  display: 'grid',
  gap: 16,
  gridTemplateColumns: 'minmax(0, 1fr)',
} as const;

/** 终端: the terminals of each store; create one (its activation code shown once, with a QR code), re-code, retire. */
export function TerminalsPage() {
  const { t } = useTranslation();
  const { user } = useSession();
  const queryClient = useQueryClient();
  const outcome = useOutcome();
  const [adding, setAdding] = useState(false);
  const [shown, setShown] = useState<ShownCode>();
  const [form] = Form.useForm<{ store_id: string; name?: string }>();
  const stores = useQuery({ queryKey: STORES_QUERY, queryFn: () => unwrap(api.GET('/v1/stores')) });
  const list = stores.data?.data ?? [];
  const refresh = (storeId: string) => queryClient.invalidateQueries({ queryKey: ['terminals', storeId] });

  const create = useMutation({
    mutationFn: ({ store_id, name }: { store_id: string; name?: string }) =>
      unwrap(
        api.POST('/v1/stores/{id}/terminals', {
          params: { path: { id: store_id } },
          body: name?.trim() ? { name: name.trim() } : {},
        }),
      ),
    onMutate: outcome.clear,
    onSuccess: (terminal) => {
      setAdding(false);
      form.resetFields();
      if (terminal.activation_code) {
        setShown({ name: terminal.name, code: terminal.activation_code, expiresAt: terminal.activation_expires_at });
      }
    },
    onSettled: (terminal) => terminal && refresh(terminal.store_id),
  });

  return (
    <>
      <Typography.Title level={1}>{t('terminals.title')}</Typography.Title>
      <Typography.Paragraph>{t('terminals.intro')}</Typography.Paragraph>
      {user?.role === 'owner' && user.merchant_id && <RatePlanCard merchantId={user.merchant_id} />}
      <Button
        type="primary"
        style={{ marginBottom: 16 }}
        onClick={() => {
          create.reset();
          form.setFieldsValue({ store_id: list[0]?.id });
          setAdding(true);
        }}
      >
        {t('terminals.add')}
      </Button>
      {outcome.banner}
      <ul aria-label={t('terminals.title')} style={STACK}>
        {list.map((store) => (
          <li key={store.id}>
            <StoreTerminals store={store} onCode={setShown} outcome={outcome} onChanged={() => refresh(store.id)} />
          </li>
        ))}
      </ul>
      <Modal open={adding} title={t('terminals.addTitle')} onCancel={() => setAdding(false)} footer={null} forceRender>
        <Form form={form} name="new-terminal" layout="vertical" requiredMark={false} onFinish={(v) => create.mutate(v)}>
          <Form.Item
            label={t('terminals.store')}
            name="store_id"
            rules={[{ required: true, message: t('terminals.required') }]}
          >
            <Select options={list.map((s) => ({ value: s.id, label: s.name }))} />
          </Form.Item>
          <Form.Item label={t('terminals.name')} name="name">
            <Input maxLength={100} placeholder={t('terminals.namePlaceholder')} autoComplete="off" />
          </Form.Item>
          <Problem error={create.error} />
          <Space wrap>
            <Button type="primary" htmlType="submit" loading={create.isPending}>
              {t('terminals.create')}
            </Button>
            <Button onClick={() => setAdding(false)}>{t('terminals.cancel')}</Button>
          </Space>
        </Form>
      </Modal>
      <ActivationCodeModal shown={shown} onClose={() => setShown(undefined)} />
    </>
  );
}

/** One store's terminals with their actions. */
function StoreTerminals({
  store,
  onCode,
  outcome,
  onChanged,
}: {
  store: { id: string; name: string };
  onCode: (shown: ShownCode) => void;
  outcome: ReturnType<typeof useOutcome>;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const withReauth = useReauth();
  const terminals = useQuery({ queryKey: ['terminals', store.id], queryFn: () => fetchTerminals(store.id) });
  const reissue = useMutation({
    mutationFn: (x: Terminal) =>
      unwrap(api.POST('/v1/terminals/{id}/activation-code', { params: { path: { id: x.id } } })),
    onMutate: outcome.clear,
    onSuccess: (answer, x) => {
      if (answer.activation_code)
        onCode({ name: x.name, code: answer.activation_code, expiresAt: answer.activation_expires_at });
    },
    onError: outcome.failed,
    onSettled: onChanged,
  });
  const retire = useMutation({
    mutationFn: (x: Terminal) =>
      withReauth(() => unwrap(api.POST('/v1/terminals/{id}/retire', { params: { path: { id: x.id } } }))),
    onMutate: outcome.clear,
    onSuccess: (_answer, x) => outcome.succeeded(t('terminals.retired', { name: x.name })),
    onError: outcome.failed,
    onSettled: onChanged,
  });

  const columns = [
    { title: t('terminals.name'), dataIndex: 'name', key: 'name' },
    {
      title: t('terminals.status'),
      key: 'status',
      render: (_: unknown, x: Terminal) => (
        <Space direction="vertical" size={0}>
          <Tag>{t(`terminals.statuses.${x.status}`, x.status)}</Tag>
          {x.status === 'pending' && x.activation_expires_at && (
            <Typography.Text type="secondary">
              {t('terminals.codeExpires', { at: formatBeijing(x.activation_expires_at) })}
            </Typography.Text>
          )}
          {x.activated_at && (
            <Typography.Text type="secondary">
              {t('terminals.activatedAt')} {formatBeijing(x.activated_at)}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    {
      title: t('terminals.actions'),
      key: 'actions',
      render: (_: unknown, x: Terminal) =>
        x.status === 'retired' ? null : (
          <Space wrap size="small">
            <Button
              size="small"
              aria-label={t('terminals.reissueLabel', { name: x.name })}
              onClick={() => reissue.mutate(x)}
            >
              {t('terminals.reissue')}
            </Button>
            <Popconfirm
              title={t('terminals.retireConfirm', { name: x.name })}
              okText={t('terminals.yes')}
              okButtonProps={{ danger: true }}
              cancelText={t('terminals.cancel')}
              onConfirm={() => retire.mutate(x)}
            >
              <Button size="small" danger aria-label={t('terminals.retireLabel', { name: x.name })}>
                {t('terminals.retire')}
              </Button>
            </Popconfirm>
          </Space>
        ),
    },
  ];
  return (
    <Card size="small" title={<h2 style={CARD_TITLE}>{store.name}</h2>}>
      <Table<Terminal>
        aria-label={t('terminals.list', { store: store.name })}
        rowKey="id"
        size="small"
        loading={terminals.isLoading}
        dataSource={terminals.data?.data ?? []}
        columns={columns}
        pagination={false}
        scroll={{ x: true }}
        locale={{ emptyText: <EmptyText text={t('terminals.empty')} /> }}
      />
    </Card>
  );
}
