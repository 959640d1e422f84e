import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Drawer, Grid, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { formatBeijing } from '../../format.js';
import { useSession } from '../../session.js';
import { EmptyText, useOutcome } from '../staff/outcome.js';
import { OpenTicketForm } from './OpenTicketForm.js';
import { TicketDetail } from './TicketDetail.js';
import {
  fetchTickets,
  STATUS_COLOURS,
  STATUSES,
  TICKETS_QUERY,
  type TicketStatus,
  type TicketSummary,
} from './ticket-api.js';

/** Columns a 375 px phone leaves out (the ticket's drawer shows them). */
const PHONE_HIDES: ['md'] = ['md'];

/**
 * The after-sales tickets (售后): merchant staff open them and follow their merchant's; support agents see every
 * merchant's, answer and move them. A ticket opens in a drawer (`?ticket=tkt_…`, so it can be linked and reloaded).
 */
export function TicketsPage() {
  const { t } = useTranslation();
  const { user } = useSession();
  const support = user?.role === 'support_agent';
  const phone = Grid.useBreakpoint().md === false;
  const queryClient = useQueryClient();
  const outcome = useOutcome();
  const [params, setParams] = useSearchParams();
  const [status, setStatus] = useState<TicketStatus>();
  const [opening, setOpening] = useState(false);
  const tickets = useQuery({
    queryKey: [...TICKETS_QUERY, status ?? 'all'],
    queryFn: () => fetchTickets(status),
    refetchInterval: 30_000,
  });
  const selected = params.get('ticket');
  const show = (id: string | null) =>
    setParams((p) => {
      if (id) p.set('ticket', id);
      else p.delete('ticket');
      return p;
    });
  const subjectOf = (id: string | null) => tickets.data?.data.find((x) => x.id === id)?.subject ?? t('tickets.title');

  const columns = [
    {
      title: t('tickets.columns.subject'),
      key: 'subject',
      render: (_: unknown, x: TicketSummary) => (
        <Button
          type="link"
          style={{ padding: 0, height: 'auto', whiteSpace: 'normal', textAlign: 'left' }}
          aria-label={t('tickets.view', { subject: x.subject })}
          onClick={() => show(x.id)}
        >
          {x.subject}
        </Button>
      ),
    },
    {
      title: t('tickets.columns.status'),
      key: 'status',
      render: (_: unknown, x: TicketSummary) => (
        <Tag color={STATUS_COLOURS[x.status]}>{t(`tickets.statuses.${x.status}`)}</Tag>
      ),
    },
    {
      title: t('tickets.columns.category'),
      key: 'category',
      responsive: PHONE_HIDES,
      render: (_: unknown, x: TicketSummary) => t(`tickets.categories.${x.category}`),
    },
    ...(support
      ? [
          {
            title: t('tickets.columns.merchant'),
            key: 'merchant',
            responsive: PHONE_HIDES,
            render: (_: unknown, x: TicketSummary) => x.merchant_name,
          },
        ]
      : []),
    {
      title: t('tickets.columns.terminal'),
      key: 'terminal',
      responsive: PHONE_HIDES,
      render: (_: unknown, x: TicketSummary) => x.terminal_name ?? '—',
    },
    {
      title: t('tickets.columns.openedBy'),
      key: 'opened_by',
      responsive: PHONE_HIDES,
      render: (_: unknown, x: TicketSummary) => x.opened_by_name,
    },
    {
      title: t('tickets.columns.updatedAt'),
      key: 'updated_at',
      render: (_: unknown, x: TicketSummary) => formatBeijing(x.updated_at),
    },
  ];

  return (
    <>
      <Typography.Title level={1}>{t('tickets.title')}</Typography.Title>
      <Typography.Paragraph>{t(support ? 'tickets.introSupport' : 'tickets.introMerchant')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 16 }}>
        {!support && (
          <Button type="primary" onClick={() => setOpening(true)}>
            {t('tickets.open')}
          </Button>
        )}
        <Select<TicketStatus | 'all'>
          aria-label={t('tickets.filter')}
          value={status ?? 'all'}
          style={{ minWidth: 160 }}
          onChange={(v) => setStatus(v === 'all' ? undefined : v)}
          options={[
            { value: 'all', label: t('tickets.allStatuses') },
            ...STATUSES.map((s) => ({ value: s, label: t(`tickets.statuses.${s}`) })),
          ]}
        />
      </Space>
      {!selected && outcome.banner}
      <Table<TicketSummary>
        aria-label={t('tickets.list')}
        rowKey="id"
        size="small"
        loading={tickets.isLoading}
        dataSource={tickets.data?.data ?? []}
        columns={columns}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: true }}
        locale={{ emptyText: <EmptyText text={t('tickets.empty')} /> }}
      />
      <OpenTicketForm
        open={opening}
        onClose={() => setOpening(false)}
        onOpened={(ticket) => {
          setOpening(false);
          outcome.succeeded(t('tickets.opened'));
          void queryClient.invalidateQueries({ queryKey: TICKETS_QUERY });
          show(ticket.id);
        }}
      />
      <Drawer
        open={selected !== null}
        onClose={() => {
          outcome.clear();
          show(null);
        }}
        title={subjectOf(selected)}
        size={phone ? '100%' : 640}
        destroyOnHidden
      >
        {selected && (
          <>
            {outcome.banner}
            <TicketDetail id={selected} outcome={outcome} />
          </>
        )}
      </Drawer>
    </>
  );
}
