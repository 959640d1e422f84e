import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Form, Input, Radio } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api.js';
import { dayjs } from '../../format.js';
import { Problem } from '../staff/outcome.js';
import { CARD_TITLE } from '../stores/StoresPage.js';

type Severity = 'info' | 'warning' | 'urgent';
type AudienceKind = 'all' | 'merchant_type' | 'region';
interface Values {
  title: string;
  body: string;
  severity: Severity;
  audience: AudienceKind;
  audience_value?: string;
  starts_at: Dayjs;
  ends_at: Dayjs;
}

const BEIJING = 'Asia/Shanghai';
const MINUTE_FORMAT = 'YYYY-MM-DD HH:mm';
const WEEK_MS = 7 * 86_400_000;

/**
 * The pickers hold Beijing wall-clock times whatever the device's zone: a value is read as "YYYY-MM-DD HH:mm" in
 * Beijing, and the defaults are Beijing's now (to the minute) and a week later.
 */
const beijingWallClock = (ms: number) => dayjs(dayjs(ms).tz(BEIJING).format(MINUTE_FORMAT), MINUTE_FORMAT);
const fromBeijing = (value: Dayjs) => dayjs.tz(value.format(MINUTE_FORMAT), BEIJING).toISOString();

/** The publish form: title, text, severity, audience (all, a merchant type, a region), start and end in Beijing time. */
export function PublishForm({ onPublished }: { onPublished: (title: string, urgent: boolean) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const audience = Form.useWatch('audience', form);
  const severity = Form.useWatch('severity', form);
  const defaults = () => ({
    severity: 'info' as const,
    audience: 'all' as const,
    starts_at: beijingWallClock(Date.now()),
    ends_at: beijingWallClock(Date.now() + WEEK_MS),
  });

  const publish = useMutation({
    mutationFn: (v: Values) =>
      unwrap(
        api.POST('/v1/admin/announcements', {
          body: {
            title: v.title.trim(),
            body: v.body.trim(),
            severity: v.severity,
            audience: v.audience === 'all' ? { kind: 'all' } : { kind: v.audience, value: v.audience_value?.trim() },
            starts_at: fromBeijing(v.starts_at),
            ends_at: fromBeijing(v.ends_at),
          },
        }),
      ),
    onSuccess: (published) => {
      form.resetFields();
      form.setFieldsValue(defaults());
      onPublished(published.title, published.severity === 'urgent');
    },
  });
  const required = [{ required: true, whitespace: true, message: t('announcements.required') }];
  const valueLabel = t(audience === 'region' ? 'announcements.fields.region' : 'announcements.fields.merchantType');

  return (
    <Card
      size="small"
      title={<h2 style={CARD_TITLE}>{t('announcements.publishTitle')}</h2>}
      style={{ marginBottom: 24 }}
    >
      <Form<Values>
        form={form}
        name="publish-announcement"
        layout="vertical"
        requiredMark={false}
        initialValues={defaults()}
        onFinish={(v) => publish.mutate(v)}
        style={{ maxWidth: 640 }}
      >
        <Form.Item label={t('announcements.fields.title')} name="title" rules={required}>
          <Input maxLength={100} autoComplete="off" />
        </Form.Item>
        <Form.Item label={t('announcements.fields.body')} name="body" rules={required}>
          <Input.TextArea maxLength={2000} rows={4} />
        </Form.Item>
        <Form.Item label={t('announcements.fields.severity')} name="severity">
          <Radio.Group
            options={(['info', 'warning', 'urgent'] as const).map((s) => ({
              value: s,
              label: t(`announcements.severities.${s}`),
            }))}
          />
        </Form.Item>
        {severity === 'urgent' && (
          <Alert
            type="warning"
            showIcon
            role="note"
            title={t('announcements.urgentNote')}
            style={{ marginBottom: 16 }}
          />
        )}
        <Form.Item label={t('announcements.fields.audience')} name="audience">
          <Radio.Group
            options={(['all', 'merchant_type', 'region'] as const).map((a) => ({
              value: a,
              label: t(`announcements.audiences.${a}`),
            }))}
          />
        </Form.Item>
        {audience !== undefined && audience !== 'all' && (
          <Form.Item label={valueLabel} name="audience_value" rules={required}>
            <Input
              maxLength={50}
              autoComplete="off"
              placeholder={t(
                audience === 'region'
                  ? 'announcements.fields.regionPlaceholder'
                  : 'announcements.fields.merchantTypePlaceholder',
              )}
            />
          </Form.Item>
        )}
        <Form.Item
          label={t('announcements.fields.startsAt')}
          name="starts_at"
          rules={[{ required: true, message: t('announcements.required') }]}
        >
          <DatePicker showTime={{ format: 'HH:mm' }} format={MINUTE_FORMAT} style={{ width: '100%', maxWidth: 260 }} />
        </Form.Item>
        <Form.Item
          label={t('announcements.fields.endsAt')}
          name="ends_at"
          dependencies={['starts_at']}
          rules={[
            { required: true, message: t('announcements.required') },
            ({ getFieldValue }) => ({
              validator: (_rule, value?: Dayjs) => {
                const start = getFieldValue('starts_at') as Dayjs | undefined;
                return !value || !start || value.isAfter(start)
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('announcements.endAfterStart')));
              },
            }),
          ]}
        >
          <DatePicker showTime={{ format: 'HH:mm' }} format={MINUTE_FORMAT} style={{ width: '100%', maxWidth: 260 }} />
        </Form.Item>
        <Problem error={publish.error} />
        <Button type="primary" htmlType="submit" loading={publish.isPending}>
          {t('announcements.publish')}
        </Button>
      </Form>
    </Card>
  );
}
