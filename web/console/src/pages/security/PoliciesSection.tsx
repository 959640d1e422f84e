import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../../api.js';
import { useReauth } from '../../reauth.js';
import { useSession } from '../../session.js';
import { STORES_QUERY, useOutcome } from '../staff/outcome.js';
import { CARD_TITLE, CARDS, PolicySummary, policyQuery } from '../stores/StoresPage.js';
import { type PolicyBody, PolicyForm } from './PolicyForm.js';

/**
 * 退款策略与阈值: every store's refund policy; the owner edits one (PUT /v1/stores/{id}/refund-policy, re-authenticated),
 * a manager reads them. Lockouts are on the dashboard with their Unlock; this section links there.
 */
export function PoliciesSection() {
  const { t } = useTranslation();
  const { user } = useSession();
  const withReauth = useReauth();
  const queryClient = useQueryClient();
  const outcome = useOutcome();
  const [editing, setEditing] = useState<string>();
  const owner = user?.role === 'owner';
  const stores = useQuery({ queryKey: STORES_QUERY, queryFn: () => unwrap(api.GET('/v1/stores')) });
  const list = stores.data?.data ?? [];
  const policies = useQueries({ queries: list.map((s) => policyQuery(s.id)) });
  const save = useMutation({
    mutationFn: ({ id, policy }: { id: string; policy: PolicyBody }) =>
      withReauth(() => unwrap(api.PUT('/v1/stores/{id}/refund-policy', { params: { path: { id } }, body: policy }))),
    onMutate: outcome.clear,
    onSuccess: (view, { id }) => {
      queryClient.setQueryData(policyQuery(id).queryKey, view);
      setEditing(undefined);
      outcome.succeeded(t('security.policies.saved', { name: list.find((s) => s.id === id)?.name ?? '' }));
    },
    onError: outcome.failed,
  });

  return (
    <Card>
      <Typography.Title level={2}>{t('security.policies.title')}</Typography.Title>
      <Typography.Paragraph>
        {owner ? t('security.policies.intro') : t('security.policies.readOnly')}
      </Typography.Paragraph>
      <Typography.Paragraph style={owner ? { marginBottom: 4 } : undefined}>
        {t('security.policies.lockouts')}
      </Typography.Paragraph>
      {owner && (
        <Typography.Paragraph>
          <Link to="/">{t('security.policies.lockoutsLink')}</Link>
        </Typography.Paragraph>
      )}
      {outcome.banner}
      <ul aria-label={t('security.policies.list')} style={CARDS}>
        {list.map((store, i) => {
          const view = policies[i]?.data;
          return (
            <li key={store.id}>
              <Card size="small" title={<h3 style={CARD_TITLE}>{store.name}</h3>}>
                {editing === store.id && view ? (
                  <PolicyForm
                    storeName={store.name}
                    policy={view.policy as PolicyBody}
                    saving={save.isPending}
                    onSave={(policy) => save.mutate({ id: store.id, policy })}
                    onCancel={() => setEditing(undefined)}
                  />
                ) : (
                  <>
                    <PolicySummary query={policies[i]} />
                    {owner && view && (
                      <Button
                        style={{ marginTop: 8, display: 'block' }}
                        aria-label={t('security.policies.editNamed', { name: store.name })}
                        onClick={() => {
                          outcome.clear();
                          setEditing(store.id);
                        }}
                      >
                        {t('security.policies.edit')}
                      </Button>
                    )}
                  </>
                )}
              </Card>
            </li>
          );
        })}
      </ul>
    </Card>
  );
}
