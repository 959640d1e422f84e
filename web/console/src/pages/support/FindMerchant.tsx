import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, Form, Input, List, Radio, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api.js';
import { problemText } from '../security/problem.js';
import { CASE_KINDS, type CaseKind } from './support-api.js';

/**
 * The desk's start: find a merchant by name or id and open a case of one of the four kinds, or open an existing case
 * by its number (the second agent's way in). A search is a counted support action: it runs when asked (the words stay
 * in the address, ?q=, so a reload shows the same merchants) and is not refreshed on its own.
 */
export function FindMerchant({
  q,
  onSearch,
  onOpen,
}: {
  q: string | undefined;
  onSearch: (q: string) => void;
  onOpen: (caseId: string) => void;
}) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<CaseKind>('locked_out_owner');
  const found = useQuery({
    queryKey: ['support-merchants', q],
    enabled: q !== undefined,
    queryFn: () => unwrap(api.GET('/v1/support/merchants', { params: { query: { q: q ?? '' } } })),
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
  });
  const open = useMutation({
    mutationFn: (merchantId: string) =>
      unwrap(api.POST('/v1/support/cases', { body: { merchant_id: merchantId, kind } })),
    onSuccess: (opened) => onOpen(opened.id),
  });
  const merchants = found.data?.data ?? [];
  const failure = found.error ?? open.error;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={
          <Typography.Title level={2} style={{ margin: 0, fontSize: 16 }}>
            {t('support.search.title')}
          </Typography.Title>
        }
      >
        <Form<{ q: string }>
          name="support-search"
          layout="vertical"
          requiredMark={false}
          initialValues={{ q: q ?? '' }}
          onFinish={(values) => onSearch(values.q.trim())}
        >
          <Form.Item
            label={t('support.search.label')}
            name="q"
            extra={t('support.search.help')}
            rules={[{ required: true, whitespace: true, min: 2, message: t('support.search.help') }]}
          >
            <Input autoComplete="off" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={found.isFetching}>
            {t('support.search.submit')}
          </Button>
        </Form>
        {failure && <Alert type="error" showIcon title={problemText(failure, t)} style={{ marginTop: 16 }} />}
        {found.isSuccess && merchants.length === 0 && <Empty description={t('support.search.none')} />}
        {merchants.length > 0 && (
          <>
            <Typography.Paragraph strong style={{ marginTop: 16, marginBottom: 8 }} id="support-case-kind">
              {t('support.open.kind')}
            </Typography.Paragraph>
            <Radio.Group
              aria-labelledby="support-case-kind"
              value={kind}
              onChange={(e) => setKind(e.target.value)}
              options={CASE_KINDS.map((k) => ({ value: k, label: t(`support.kind.${k}`) }))}
            />
            <section aria-label={t('support.search.results')}>
              <List
                style={{ marginTop: 12 }}
                dataSource={merchants}
                renderItem={(m) => (
                  // Stacked, not List.Item `actions`: on a 375 px phone the button beside the name squeezed it.
                  <List.Item key={m.id}>
                    <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                      <Typography.Title level={3} style={{ margin: 0, fontSize: 15 }}>
                        {m.name}
                      </Typography.Title>
                      <Space wrap>
                        <Typography.Text style={{ wordBreak: 'break-all' }}>{m.id}</Typography.Text>
                        <Tag color={m.status === 'active' ? undefined : 'red'}>
                          {t(`support.merchantStatus.${m.status}`)}
                        </Tag>
                      </Space>
                      <Button onClick={() => open.mutate(m.id)} loading={open.isPending && open.variables === m.id}>
                        {t('support.open.submitFor', { name: m.name })}
                      </Button>
                    </Space>
                  </List.Item>
                )}
              />
            </section>
          </>
        )}
      </Card>
      <Card
        title={
          <Typography.Title level={2} style={{ margin: 0, fontSize: 16 }}>
            {t('support.byNumber.title')}
          </Typography.Title>
        }
      >
        <Form<{ id: string }>
          name="support-case-number"
          layout="vertical"
          requiredMark={false}
          onFinish={(values) => onOpen(values.id.trim())}
        >
          <Form.Item
            label={t('support.byNumber.label')}
            name="id"
            rules={[{ required: true, whitespace: true, message: '' }]}
          >
            <Input autoComplete="off" spellCheck={false} placeholder="sca_…" />
          </Form.Item>
          <Button htmlType="submit">{t('support.byNumber.submit')}</Button>
        </Form>
      </Card>
    </Space>
  );
}
