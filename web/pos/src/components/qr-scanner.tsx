import { Button } from 'antd-mobile';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** Whether this device has a camera at all; without one the scan button is not shown (typing the code still works). */
function useHasCamera(): boolean {
  const [has, setHas] = useState(false);
  useEffect(() => {
    let live = true;
    void navigator.mediaDevices
      ?.enumerateDevices()
      .then((devices) => {
        if (live) setHas(devices.some((device) => device.kind === 'videoinput'));
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return has;
}

/**
 * Scans the customer's payment code with the camera through @zxing/browser, loaded only when the cashier asks for it
 * (the library is large and most counters have a scanner gun that types the code instead).
 */
export function QrScanner({ onCode }: { onCode: (code: string) => void }) {
  const { t } = useTranslation();
  const hasCamera = useHasCamera();
  const [scanning, setScanning] = useState(false);
  const video = useRef<HTMLVideoElement>(null);

  useEffect(() => {
    if (!scanning || !video.current) return;
    let stop: (() => void) | undefined;
    let live = true;
    void import('@zxing/browser').then(async ({ BrowserMultiFormatReader }) => {
      if (!live || !video.current) return;
      const reader = new BrowserMultiFormatReader();
      const controls = await reader.decodeFromVideoDevice(undefined, video.current, (result) => {
        if (!result) return;
        onCode(result.getText());
        setScanning(false);
      });
      stop = () => controls.stop();
      if (!live) stop();
    });
    return () => {
      live = false;
      stop?.();
    };
  }, [scanning, onCode]);

  if (!hasCamera) return null;
  return (
    <div className="pos-scanner">
      <Button block onClick={() => setScanning((on) => !on)}>
        {scanning ? t('sale.stopScan') : t('sale.scan')}
      </Button>
      {scanning ? (
        <>
          <p>{t('sale.scanning')}</p>
          <video ref={video} muted playsInline className="pos-video" />
        </>
      ) : null}
    </div>
  );
}
