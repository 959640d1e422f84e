import { Button, Input } from 'antd-mobile';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Keypad } from '../components/keypad.js';
import { Field, Screen } from '../components/screen.js';
import { errorText, useTerminal } from '../terminal.js';

type Target = 'operator' | 'password';

/** 签到: operator number and password, typed on a big keypad (or a keyboard) into whichever field was touched last. */
export function SignInScreen() {
  const { t } = useTranslation();
  const { signIn, credentials, forgetTerminal } = useTerminal();
  const [operatorNo, setOperatorNo] = useState('');
  const [password, setPassword] = useState('');
  const [target, setTarget] = useState<Target>('operator');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  function type(change: (value: string) => string) {
    if (target === 'operator') setOperatorNo((value) => change(value).slice(0, 2));
    else setPassword((value) => change(value).slice(0, 32));
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signIn(operatorNo, password);
    } catch (caught) {
      setError(errorText(caught, t));
      setPassword('');
      setTarget('password');
    } finally {
      setBusy(false);
    }
  }

  return (
    <Screen title={t('signIn.title')}>
      <form onSubmit={(event) => void submit(event)} className="pos-form">
        <div className="pos-muted">{t('signIn.terminal', { id: credentials.terminalId ?? '' })}</div>
        <Field id="operator-no" label={t('signIn.operatorNo')}>
          <Input
            id="operator-no"
            value={operatorNo}
            onChange={(value) => setOperatorNo(value.replace(/\D/g, '').slice(0, 2))}
            onFocus={() => setTarget('operator')}
            inputMode="numeric"
            autoComplete="username"
            className={`pos-input${target === 'operator' ? ' pos-input-target' : ''}`}
          />
        </Field>
        <Field id="operator-password" label={t('signIn.password')}>
          <Input
            id="operator-password"
            type="password"
            value={password}
            onChange={setPassword}
            onFocus={() => setTarget('password')}
            inputMode="numeric"
            autoComplete="current-password"
            className={`pos-input${target === 'password' ? ' pos-input-target' : ''}`}
          />
        </Field>
        <Keypad
          label={t('signIn.keypad')}
          deleteLabel={t('signIn.delete')}
          clearLabel={t('signIn.clear')}
          onDigit={(digit) => type((value) => value + digit)}
          onDelete={() => type((value) => value.slice(0, -1))}
          onClear={() => type(() => '')}
        />
        {error ? (
          <div role="alert" className="pos-error">
            {error}
          </div>
        ) : null}
        <Button block color="primary" size="large" type="submit" loading={busy} disabled={!operatorNo || !password}>
          {t('signIn.submit')}
        </Button>
        <Button block fill="none" onClick={forgetTerminal}>
          {t('signIn.deactivate')}
        </Button>
      </form>
    </Screen>
  );
}
