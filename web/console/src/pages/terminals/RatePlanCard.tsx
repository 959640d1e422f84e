import { useQuery } from '@tanstack/react-query';
import { Card, Descriptions, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api.js';
import { formatYuan } from '../../format.js';

const METHODS = ['bank_card', 'qr', 'order', 'cash'] as const;

/** The merchant's rate plan (费率): the owner reads it (GET /v1/merchants/:id/rate-plan); others see nothing. */
export function RatePlanCard({ merchantId }: { merchantId: string }) {
  const { t } = useTranslation();
  const plan = useQuery({
    queryKey: ['rate-plan', merchantId],
    queryFn: () => unwrap(api.GET('/v1/merchants/{id}/rate-plan', { params: { path: { id: merchantId } } })),
  });
  if (!plan.data) return null;
  const fee = ({ bps, cap }: { bps: number; cap: number | null }) => {
    if (bps === 0) return t('terminals.ratePlan.free');
    const percent = (bps / 100).toFixed(2);
    return cap === null
      ? t('terminals.ratePlan.fee', { percent })
      : t('terminals.ratePlan.feeCapped', { percent, cap: formatYuan(cap) });
  };
  return (
    <section aria-labelledby="rate-plan-title" style={{ marginBottom: 24 }}>
      <Card size="small">
        <Typography.Title level={2} id="rate-plan-title" style={{ fontSize: 18, marginTop: 0 }}>
          {t('terminals.ratePlan.title')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('terminals.ratePlan.intro')}</Typography.Paragraph>
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, lg: 3 }}
          items={[
            { key: 'plan', label: t('terminals.ratePlan.plan'), children: plan.data.name },
            ...METHODS.map((m) => ({
              key: m,
              label: t(`terminals.ratePlan.${m}`),
              children: fee(plan.data.rate_plan[m]),
            })),
          ]}
        />
      </Card>
    </section>
  );
}
