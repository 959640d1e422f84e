import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Descriptions, Form, Input, Space, Spin, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api.js';
import { formatBeijing } from '../../format.js';
import { useSession } from '../../session.js';
import type { useOutcome } from '../staff/outcome.js';
import {
  fetchTicket,
  OFFERED_MOVES,
  STATUS_COLOURS,
  TICKETS_QUERY,
  type TicketStatus,
  type TicketView,
} from './ticket-api.js';

/** One ticket: what it is about, its history (messages and status changes, in order), a reply, the status moves. */
export function TicketDetail({ id, outcome }: { id: string; outcome: ReturnType<typeof useOutcome> }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const side = user?.role === 'support_agent' ? 'support' : 'merchant';
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ text: string }>();
  const ticket = useQuery({ queryKey: ['ticket', id], queryFn: () => fetchTicket(id), refetchInterval: 15_000 });
  const changed = (next: TicketView) => {
    queryClient.setQueryData(['ticket', id], next);
    void queryClient.invalidateQueries({ queryKey: TICKETS_QUERY });
  };
  const reply = useMutation({
    mutationFn: (text: string) =>
      unwrap(api.POST('/v1/tickets/{id}/messages', { params: { path: { id } }, body: { text } })),
    onMutate: outcome.clear,
    onSuccess: (next) => {
      form.resetFields();
      changed(next);
      outcome.succeeded(t('tickets.detail.sent'));
    },
    onError: outcome.failed,
  });
  const move = useMutation({
    mutationFn: (status: TicketStatus) =>
      unwrap(api.POST('/v1/tickets/{id}/status', { params: { path: { id } }, body: { status } })),
    onMutate: outcome.clear,
    onSuccess: (next) => {
      changed(next);
      outcome.succeeded(t('tickets.detail.moved', { status: t(`tickets.statuses.${next.status}`) }));
    },
    onError: outcome.failed,
  });

  const x = ticket.data;
  if (!x) return <Spin description={t('tickets.detail.loading')} />;
  const sideName = (s: 'merchant' | 'support') =>
    t(s === 'support' ? 'tickets.detail.supportSide' : 'tickets.detail.merchantSide');
  const items = x.history.map((h, i) => ({
    key: `${h.at}-${i}`,
    color: h.side === 'support' ? 'blue' : 'gray',
    children:
      h.kind === 'message' ? (
        <>
          <Typography.Text strong>
            {h.author_name} · {sideName(h.side)}
          </Typography.Text>{' '}
          <Typography.Text type="secondary">{formatBeijing(h.at)}</Typography.Text>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{h.text}</Typography.Paragraph>
        </>
      ) : (
        <>
          <Typography.Text>
            {t('tickets.detail.statusChange', {
              name: h.author_name,
              from: h.from ? t(`tickets.statuses.${h.from}`) : '',
              to: h.to ? t(`tickets.statuses.${h.to}`) : '',
            })}
          </Typography.Text>{' '}
          <Typography.Text type="secondary">{formatBeijing(h.at)}</Typography.Text>
        </>
      ),
  }));

  return (
    <>
      <Descriptions size="small" column={1} bordered style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('tickets.detail.reference')}>{x.id}</Descriptions.Item>
        <Descriptions.Item label={t('tickets.columns.status')}>
          <Tag color={STATUS_COLOURS[x.status]}>{t(`tickets.statuses.${x.status}`)}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label={t('tickets.category')}>{t(`tickets.categories.${x.category}`)}</Descriptions.Item>
        {side === 'support' && (
          <Descriptions.Item label={t('tickets.columns.merchant')}>{x.merchant_name}</Descriptions.Item>
        )}
        <Descriptions.Item label={t('tickets.terminal')}>
          {x.terminal_name ?? t('tickets.terminalNone')}
        </Descriptions.Item>
        <Descriptions.Item label={t('tickets.columns.openedBy')}>{x.opened_by_name}</Descriptions.Item>
        <Descriptions.Item label={t('tickets.detail.openedAt')}>{formatBeijing(x.created_at)}</Descriptions.Item>
      </Descriptions>
      <Space wrap style={{ marginBottom: 16 }}>
        {(OFFERED_MOVES[side][x.status] ?? []).map((to) => (
          <Button key={to} onClick={() => move.mutate(to)} loading={move.isPending && move.variables === to}>
            {t(`tickets.moves.${to}`)}
          </Button>
        ))}
      </Space>
      <Typography.Title level={3} style={{ fontSize: 16 }}>
        {t('tickets.detail.history')}
      </Typography.Title>
      <Timeline items={items} />
      {x.status === 'closed' ? (
        <Typography.Paragraph>{t('tickets.detail.closedNote')}</Typography.Paragraph>
      ) : (
        <Form
          form={form}
          name="ticket-reply"
          layout="vertical"
          requiredMark={false}
          onFinish={(v) => reply.mutate(v.text.trim())}
        >
          <Form.Item
            label={t('tickets.detail.reply')}
            name="text"
            rules={[{ required: true, whitespace: true, message: t('tickets.required') }]}
          >
            <Input.TextArea rows={3} maxLength={2000} placeholder={t('tickets.detail.replyPlaceholder')} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={reply.isPending}>
            {t('tickets.detail.send')}
          </Button>
        </Form>
      )}
    </>
  );
}
