import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api.js';
import { formatBeijing } from '../format.js';
import { useSession } from '../session.js';

const ANNOUNCEMENTS_QUERY = ['announcements'] as const;
const MERCHANT_STAFF = new Set(['owner', 'manager', 'cashier']);
const ALERT_TYPES = { info: 'info', warning: 'warning', urgent: 'error' } as const;

/**
 * The platform's current announcements (公告) at the top of every signed-in page of a merchant's staff, until each
 * person acknowledges them ("Got it": POST /v1/announcements/:id/acknowledge). An urgent one is a red alert, read out
 * at once by screen readers; the others are notes.
 */
export function AnnouncementBanner() {
  const { t } = useTranslation();
  const { user } = useSession();
  const queryClient = useQueryClient();
  const shown = user !== null && user !== undefined && MERCHANT_STAFF.has(user.role);
  const current = useQuery({
    queryKey: ANNOUNCEMENTS_QUERY,
    queryFn: () => unwrap(api.GET('/v1/announcements')),
    enabled: shown,
    refetchInterval: 60_000,
  });
  const acknowledge = useMutation({
    mutationFn: (id: string) =>
      unwrap(api.POST('/v1/announcements/{id}/acknowledge', { params: { path: { id } }, body: {} })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ANNOUNCEMENTS_QUERY }),
  });
  const open = (current.data?.data ?? []).filter((a) => a.active && a.acknowledged_at === null);
  if (!shown || open.length === 0) return null;

  return (
    <section aria-label={t('announcements.banner.label')} style={{ marginBottom: 16 }}>
      <Space direction="vertical" size={8} style={{ width: '100%' }}>
        {open.map((a) => (
          <Alert
            key={a.id}
            type={ALERT_TYPES[a.severity]}
            role={a.severity === 'urgent' ? 'alert' : 'note'}
            showIcon
            banner={a.severity === 'urgent'}
            title={a.title}
            description={
              <>
                <div style={{ whiteSpace: 'pre-wrap' }}>{a.body}</div>
                <div>{t('announcements.banner.until', { at: formatBeijing(a.ends_at) })}</div>
                {acknowledge.isError && acknowledge.variables === a.id && <div>{t('announcements.banner.failed')}</div>}
              </>
            }
            action={
              <Button
                size="small"
                type={a.severity === 'urgent' ? 'primary' : 'default'}
                loading={acknowledge.isPending && acknowledge.variables === a.id}
                onClick={() => acknowledge.mutate(a.id)}
              >
                {t('announcements.banner.gotIt')}
              </Button>
            }
          />
        ))}
      </Space>
    </section>
  );
}
