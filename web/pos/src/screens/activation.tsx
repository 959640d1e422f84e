import { Button, Input } from 'antd-mobile';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field, Screen } from '../components/screen.js';
import { errorText, useTerminal } from '../terminal.js';

/** First start of a terminal: the activation code from the back office becomes the terminal's key (kept on the device). */
export function ActivationScreen() {
  const { t } = useTranslation();
  const { activate } = useTerminal();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await activate(code.trim());
    } catch (caught) {
      setError(errorText(caught, t));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Screen title={t('activation.title')}>
      <form onSubmit={(event) => void submit(event)} className="pos-form">
        <p>{t('activation.intro')}</p>
        <Field id="activation-code" label={t('activation.code')}>
          <Input id="activation-code" value={code} onChange={setCode} autoComplete="off" className="pos-input" />
        </Field>
        {error ? (
          <div role="alert" className="pos-error">
            {error}
          </div>
        ) : null}
        <Button block color="primary" size="large" type="submit" loading={busy} disabled={!code.trim()}>
          {t('activation.submit')}
        </Button>
      </form>
    </Screen>
  );
}
