import { useMutation, useQueries, useQuery } from '@tanstack/react-query';
import { Button, Form, Input, Modal, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api.js';
import { useSession } from '../../session.js';
import { Problem, STORES_QUERY } from '../staff/outcome.js';
import { CATEGORIES, type TicketCategory, type TicketView } from './ticket-api.js';

interface Values {
  category: TicketCategory;
  text: string;
  terminal_id?: string;
}

/**
 * The terminals the person may pick, named "store · terminal" (owners and managers list them per store; the API does
 * not list terminals to cashiers, who open tickets without one).
 */
function useTerminalOptions(enabled: boolean) {
  const stores = useQuery({ queryKey: STORES_QUERY, queryFn: () => unwrap(api.GET('/v1/stores')), enabled });
  const list = stores.data?.data ?? [];
  const terminals = useQueries({
    queries: list.map((s) => ({
      queryKey: ['terminals', s.id],
      queryFn: () => unwrap(api.GET('/v1/stores/{id}/terminals', { params: { path: { id: s.id } } })),
      enabled,
    })),
  });
  return list.flatMap((store, i) =>
    (terminals[i]?.data?.data ?? [])
      .filter((x) => x.status !== 'retired')
      .map((x) => ({ value: x.id, label: `${store.name} · ${x.name}` })),
  );
}

/** "Open a ticket": category, description and, for owners and managers, the terminal concerned. */
export function OpenTicketForm({
  open,
  onClose,
  onOpened,
}: {
  open: boolean;
  onClose: () => void;
  onOpened: (ticket: TicketView) => void;
}) {
  const { t } = useTranslation();
  const { user } = useSession();
  const picksTerminal = user?.role === 'owner' || user?.role === 'manager';
  const terminals = useTerminalOptions(open && picksTerminal);
  const [form] = Form.useForm<Values>();
  const submit = useMutation({
    mutationFn: (v: Values) =>
      unwrap(
        api.POST('/v1/tickets', {
          body: { category: v.category, text: v.text.trim(), ...(v.terminal_id ? { terminal_id: v.terminal_id } : {}) },
        }),
      ),
    onSuccess: (ticket) => {
      form.resetFields();
      onOpened(ticket);
    },
  });

  return (
    <Modal open={open} title={t('tickets.openTitle')} onCancel={onClose} footer={null} forceRender>
      <Form<Values>
        form={form}
        name="open-ticket"
        layout="vertical"
        requiredMark={false}
        initialValues={{ category: 'device_fault' }}
        onFinish={(v) => submit.mutate(v)}
      >
        <Form.Item label={t('tickets.category')} name="category">
          <Select options={CATEGORIES.map((c) => ({ value: c, label: t(`tickets.categories.${c}`) }))} />
        </Form.Item>
        <Form.Item
          label={t('tickets.text')}
          name="text"
          rules={[{ required: true, whitespace: true, message: t('tickets.required') }]}
        >
          <Input.TextArea rows={4} maxLength={2000} placeholder={t('tickets.textPlaceholder')} />
        </Form.Item>
        {picksTerminal && (
          <Form.Item label={t('tickets.terminal')} name="terminal_id">
            <Select allowClear placeholder={t('tickets.terminalNone')} options={terminals} />
          </Form.Item>
        )}
        <Problem error={submit.error} />
        <Space wrap>
          <Button type="primary" htmlType="submit" loading={submit.isPending}>
            {t('tickets.submit')}
          </Button>
          <Button onClick={onClose}>{t('tickets.cancel')}</Button>
        </Space>
      </Form>
    </Modal>
  );
}
