import { Alert, Button, Form, Image, Input, Modal, Typography } from 'antd';
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatBeijing } from '../../format.js';

export interface ShownCode {
  name: string;
  code: string;
  expiresAt?: string | undefined;
}

/**
 * The activation code of a new or re-coded terminal, shown this once: as text (a read-only field "Activation code", to
 * type on the till) and as a QR code (the terminal app scans it). Nothing keeps it after the dialog closes.
 */
export function ActivationCodeModal({ shown, onClose }: { shown: ShownCode | undefined; onClose: () => void }) {
  const { t } = useTranslation();
  const [image, setImage] = useState<string>();
  useEffect(() => {
    setImage(undefined);
    if (shown) void QRCode.toDataURL(shown.code, { margin: 1, width: 200 }).then(setImage);
  }, [shown]);
  return (
    <Modal
      open={shown !== undefined}
      title={shown && t('terminals.codeTitle', { name: shown.name })}
      onCancel={onClose}
      footer={
        <Button type="primary" onClick={onClose}>
          {t('terminals.done')}
        </Button>
      }
      destroyOnHidden
      maskClosable={false}
    >
      {shown && (
        <>
          <Alert type="warning" showIcon title={t('terminals.codeOnce')} style={{ marginBottom: 16 }} />
          <Form layout="vertical" name="activation-code">
            <Form.Item label={t('terminals.code')} htmlFor="activation-code-value">
              <Input
                id="activation-code-value"
                readOnly
                value={shown.code}
                className="rk-secret"
                style={{ fontSize: 22, letterSpacing: 2 }}
              />
            </Form.Item>
          </Form>
          {image && (
            <div style={{ textAlign: 'center' }}>
              <Image src={image} alt={t('terminals.qr')} width={200} height={200} preview={false} />
            </div>
          )}
          {shown.expiresAt && (
            <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
              {t('terminals.codeExpiresAt', { at: formatBeijing(shown.expiresAt) })}
            </Typography.Paragraph>
          )}
        </>
      )}
    </Modal>
  );
}
