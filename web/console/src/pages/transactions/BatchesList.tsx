import { useQuery } from '@tanstack/react-query';
import { Descriptions, Modal, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api.js';
import { formatBeijing, formatYuan } from '../../format.js';

type Batch = Awaited<ReturnType<typeof fetchBatches>>['data'][number];
const fetchBatches = () => unwrap(api.GET('/v1/settlements', { params: { query: { limit: 20 } as never } }));

/** 结算批次: the latest settlement batches; a click shows the report (or the sales so far of an open batch). */
export function BatchesList() {
  const { t } = useTranslation();
  const [open, setOpen] = useState<Batch>();
  const batches = useQuery({ queryKey: ['settlements'], queryFn: fetchBatches });
  return (
    <>
      <Typography.Title level={2} style={{ fontSize: 18, marginTop: 24 }}>
        {t('transactions.batches')}
      </Typography.Title>
      <Table<Batch>
        aria-label={t('transactions.batches')}
        rowKey="id"
        size="small"
        scroll={{ x: true }}
        pagination={false}
        dataSource={batches.data?.data ?? []}
        locale={{ emptyText: t('transactions.empty') }}
        onRow={(b) => ({ onClick: () => setOpen(b) })}
        columns={[
          { title: t('transactions.batch'), dataIndex: 'id', key: 'id', render: (id: string) => <code>{id}</code> },
          { title: t('transactions.terminal'), dataIndex: 'terminal_id', key: 'terminal', responsive: ['md'] },
          {
            title: t('transactions.openedAt'),
            dataIndex: 'opened_at',
            key: 'opened',
            render: (v: string) => formatBeijing(v),
          },
          {
            title: t('transactions.status'),
            dataIndex: 'status',
            key: 'status',
            render: (v: string) => t(v === 'open' ? 'transactions.open' : 'transactions.closed'),
          },
          {
            title: t('transactions.net'),
            key: 'net',
            align: 'right',
            render: (_: unknown, b: Batch) =>
              b.report ? formatYuan(b.report.totals.net) : formatYuan(b.open_sales?.amount ?? 0),
          },
        ]}
      />
      <Modal open={!!open} onCancel={() => setOpen(undefined)} footer={null} title={open?.id}>
        {open ? (
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('transactions.openedAt')}>{formatBeijing(open.opened_at)}</Descriptions.Item>
            <Descriptions.Item label={t('transactions.closedAt')}>{formatBeijing(open.closed_at)}</Descriptions.Item>
            <Descriptions.Item label={t('transactions.salesCount')}>
              {open.report?.totals.sales.count ?? open.open_sales?.count ?? 0}
            </Descriptions.Item>
            <Descriptions.Item label={t('transactions.amount')}>
              {formatYuan(open.report?.totals.sales.amount ?? open.open_sales?.amount ?? 0)}
            </Descriptions.Item>
            <Descriptions.Item label={t('transactions.refunds')}>
              {formatYuan(open.report?.totals.refunds.amount ?? 0)}
            </Descriptions.Item>
            <Descriptions.Item label={t('transactions.fees')}>
              {formatYuan(open.report?.totals.fees ?? 0)}
            </Descriptions.Item>
            <Descriptions.Item label={t('transactions.net')}>
              {formatYuan(open.report?.totals.net ?? 0)}
            </Descriptions.Item>
          </Descriptions>
        ) : null}
      </Modal>
    </>
  );
}
