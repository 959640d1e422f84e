import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, Form, Row, Segmented, Select, Statistic, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api.js';
import { dayjs, formatYuan } from '../../format.js';
import { useSession } from '../../session.js';
import { errorText } from '../sign-in/SignInPage.js';
import { AlertsPanel } from './AlertsPanel.js';
import { DaysChart, percent, SplitChart } from './charts.js';

const PERIODS = { last7: 7, last30: 30 } as const;
type Period = keyof typeof PERIODS;

/** Today's date in Beijing (the server counts Beijing days), and the day `days - 1` before it. */
function rangeOf(period: Period): { from: string; to: string } {
  const today = dayjs().tz('Asia/Shanghai');
  return {
    from: today.subtract(PERIODS[period] - 1, 'day').format('YYYY-MM-DD'),
    to: today.format('YYYY-MM-DD'),
  };
}

/** 概览: totals, sales and refunds per day with the refund rate, splits by method, operator and reason; alerts. */
export function DashboardPage() {
  const { t } = useTranslation();
  const { user } = useSession();
  const [period, setPeriod] = useState<Period>('last7');
  const [storeId, setStoreId] = useState<string>();
  const range = useMemo(() => rangeOf(period), [period]);

  const stores = useQuery({ queryKey: ['stores'], queryFn: () => unwrap(api.GET('/v1/stores')) });
  const summary = useQuery({
    queryKey: ['summary', range, storeId],
    queryFn: () =>
      unwrap(
        api.GET('/v1/reports/summary', {
          params: { query: { ...range, ...(storeId ? { store_id: storeId } : {}) } },
        }),
      ),
  });
  const s = summary.data;
  const methodName = (m: string) => t(`transactions.methods.${m}`);

  return (
    <>
      <Typography.Title level={1}>{t('dashboard.title')}</Typography.Title>
      <Form layout="inline" style={{ rowGap: 8, marginBottom: 16 }}>
        <Form.Item label={t('dashboard.period')}>
          <Segmented<Period>
            value={period}
            onChange={setPeriod}
            options={[
              { value: 'last7', label: t('dashboard.last7') },
              { value: 'last30', label: t('dashboard.last30') },
            ]}
          />
        </Form.Item>
        <Form.Item label={t('dashboard.store')}>
          <Select
            allowClear
            aria-label={t('dashboard.store')}
            placeholder={t('dashboard.allStores')}
            style={{ width: 180 }}
            value={storeId}
            onChange={setStoreId}
            options={(stores.data?.data ?? []).map((x) => ({ value: x.id, label: x.name }))}
          />
        </Form.Item>
      </Form>
      {summary.error ? (
        <Alert type="error" role="alert" showIcon title={errorText(summary.error, t('shell.error.unknown'))} />
      ) : null}
      {s ? (
        <>
          <Row gutter={[16, 16]}>
            <Col xs={24} sm={8}>
              <Card size="small">
                <Statistic
                  title={t('dashboard.sales')}
                  value={formatYuan(s.totals.sales.amount)}
                  suffix={<small>{t('dashboard.count', { count: s.totals.sales.count })}</small>}
                />
              </Card>
            </Col>
            <Col xs={24} sm={8}>
              <Card size="small">
                <Statistic
                  title={t('dashboard.refunds')}
                  value={formatYuan(s.totals.refunds.amount)}
                  suffix={<small>{t('dashboard.count', { count: s.totals.refunds.count })}</small>}
                />
              </Card>
            </Col>
            <Col xs={24} sm={8}>
              <Card size="small">
                <Statistic title={t('dashboard.refundRate')} value={percent(s.totals.refund_rate)} />
              </Card>
            </Col>
          </Row>
          {s.totals.sales.count === 0 && s.totals.refunds.count === 0 ? (
            <Typography.Paragraph style={{ marginTop: 16 }}>{t('dashboard.noData')}</Typography.Paragraph>
          ) : null}
          <div style={{ display: 'flex', flexDirection: 'column', gap: 16, marginTop: 16 }}>
            <DaysChart summary={s} />
            <Row gutter={[16, 16]}>
              <Col xs={24} lg={8}>
                <SplitChart
                  title={t('dashboard.byMethod')}
                  column={t('dashboard.method')}
                  kind="pie"
                  rows={s.by_method.map((x) => ({ key: x.method, name: methodName(x.method), ...x }))}
                />
              </Col>
              <Col xs={24} lg={8}>
                <SplitChart
                  title={t('dashboard.byOperator')}
                  column={t('dashboard.operator')}
                  kind="bar"
                  rows={s.by_operator.map((x) => ({
                    key: x.operator_id,
                    name: x.operator_no
                      ? `${x.operator_no}${x.name ? ` ${x.name}` : ''}`
                      : t('dashboard.unknownOperator'),
                    count: x.sales.count,
                    amount: x.sales.amount,
                    refunds: x.refunds,
                  }))}
                />
              </Col>
              <Col xs={24} lg={8}>
                <SplitChart
                  title={t('dashboard.byReason')}
                  column={t('dashboard.reason')}
                  kind="bar"
                  rows={s.by_reason.map((x) => ({ key: x.reason, name: x.reason, ...x }))}
                />
              </Col>
            </Row>
          </div>
        </>
      ) : null}
      {user?.role === 'owner' ? (
        <AlertsPanel />
      ) : (
        <Typography.Paragraph type="secondary" style={{ marginTop: 24 }}>
          {t('dashboard.ownerOnly')}
        </Typography.Paragraph>
      )}
    </>
  );
}
