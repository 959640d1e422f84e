import { useMutation, useQuery } from '@tanstack/react-query';
import { Button, Form, Input, Modal, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api.js';
import { Problem } from '../staff/outcome.js';
import { CATEGORIES, type TicketCategory, type TicketView } from './ticket-api.js';

interface Values {
  category: TicketCategory;
  text: string;
  terminal_id?: string;
}

/** The terminals the person may name, as "store · terminal" (GET /v1/tickets/terminals: their stores' own). */
function useTerminalOptions(enabled: boolean) {
  const terminals = useQuery({
    queryKey: ['ticket-terminals'],
    queryFn: () => unwrap(api.GET('/v1/tickets/terminals')),
    enabled,
  });
  return (terminals.data?.data ?? []).map((x) => ({ value: x.id, label: `${x.store_name} · ${x.name}` }));
}

/** "Open a ticket": category, description and the terminal concerned, if any. */
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
  const terminals = useTerminalOptions(open);
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
        <Form.Item label={t('tickets.terminal')} name="terminal_id">
          <Select allowClear placeholder={t('tickets.terminalNone')} options={terminals} />
        </Form.Item>
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
