import { Button, Input, Result } from 'antd-mobile';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Navigate } from '../app.js';
import { Field, Screen } from '../components/screen.js';
import { formatYuan, minutesSeconds } from '../format.js';
import { errorText, refusal, useTerminal } from '../terminal.js';
import type { Refund, Sale } from '../types.js';

/** How often the waiting screen asks whether a manager has approved (the approval is live within this delay). */
const POLL_MS = 2000;
const FINAL = new Set(['succeeded', 'canceled', 'expired', 'failed']);

/** Ticks every second while `on`, so countdowns move. */
function useNow(on: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!on) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [on]);
  return now;
}

/**
 * Refund screens 2 and 3: what the refund still needs (refund key, one-time code with its countdown and where it was
 * sent, a manager's approval), then the outcome. The server's `authorization` decides what is shown: this screen
 * never guesses a policy.
 */
export function AuthorizeScreen({ go, refund: started, sale }: { go: Navigate; refund: Refund; sale: Sale }) {
  const { t } = useTranslation();
  const { call } = useTerminal();
  const [refund, setRefund] = useState(started);
  const [refundKey, setRefundKey] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const [attemptsLeft, setAttemptsLeft] = useState<number | undefined>(
    started.authorization.attempts_left ?? undefined,
  );
  const [lockedUntil, setLockedUntil] = useState<number>();
  const [notice, setNotice] = useState<string>();
  // The server says "expired" before a sweep marks the refund so; from then on nothing can authorize it.
  const [expired, setExpired] = useState(false);

  const auth = refund.authorization;
  const needed = auth.required.filter((factor) => !auth.satisfied.includes(factor));
  const needsKey = needed.includes('refund_key');
  const needsCode = needed.includes('one_time_code');
  const waiting = refund.status === 'pending_approval' || refund.status === 'processing';
  const codeExpiresAt = auth.code_expires_at ? Date.parse(auth.code_expires_at) : undefined;
  const now = useNow(refund.status === 'requires_authorization' && (needsCode || lockedUntil !== undefined));
  const locked = lockedUntil !== undefined && lockedUntil > now;
  const codeLeft = codeExpiresAt !== undefined ? codeExpiresAt - now : undefined;
  const isVoid = refund.type === 'void';

  // The waiting screen follows the refund until a manager decides (or it expires).
  useEffect(() => {
    if (!waiting) return;
    const timer = window.setInterval(() => {
      void call((client) => client.getRefund(refund.id))
        .then(setRefund)
        .catch(() => undefined);
    }, POLL_MS);
    return () => window.clearInterval(timer);
  }, [waiting, refund.id, call]);

  async function refresh() {
    try {
      const latest = await call((client) => client.getRefund(refund.id));
      setRefund(latest);
      if (typeof latest.authorization.attempts_left === 'number') setAttemptsLeft(latest.authorization.attempts_left);
    } catch {
      // The error already shown is the one that matters.
    }
  }

  async function authorize(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setProblem(undefined);
    setNotice(undefined);
    try {
      const answer = await call((client) =>
        client.authorize(refund.id, {
          ...(needsKey ? { refund_key: refundKey } : {}),
          ...(needsCode ? { code: code.trim() } : {}),
        }),
      );
      setRefund(answer);
      setRefundKey('');
      setCode('');
    } catch (error) {
      const caught = refusal(error);
      if (caught) {
        if (typeof caught.attemptsLeft === 'number') setAttemptsLeft(caught.attemptsLeft);
        if (caught.code === 'REFUND_EXPIRED') setExpired(true);
        if (caught.code === 'REFUNDS_LOCKED') setLockedUntil(Date.now() + (caught.retryAfterS ?? 900) * 1000);
        if (caught.code === 'REFUND_KEY_INVALID') setRefundKey('');
        if (caught.code === 'CODE_INVALID' || caught.code === 'CODE_BURNED') setCode('');
        setProblem(
          caught.code === 'REFUND_KEY_INVALID'
            ? t('authorize.wrongKey')
            : caught.code === 'CODE_INVALID'
              ? t('authorize.wrongCode')
              : caught.code === 'CODE_EXPIRED'
                ? t('authorize.codeExpired')
                : caught.message,
        );
        await refresh();
      } else {
        setProblem(errorText(error, t));
      }
    } finally {
      setBusy(false);
    }
  }

  async function resend() {
    setBusy(true);
    setProblem(undefined);
    try {
      setRefund(await call((client) => client.resendCode(refund.id)));
      setNotice(t('authorize.resent'));
      setCode('');
    } catch (caught) {
      setProblem(errorText(caught, t));
    } finally {
      setBusy(false);
    }
  }

  async function cancel() {
    setBusy(true);
    try {
      setRefund(await call((client) => client.cancel(refund.id)));
    } catch (caught) {
      setProblem(errorText(caught, t));
    } finally {
      setBusy(false);
    }
  }

  const typeName = isVoid ? t('authorize.typeVoid') : t('authorize.typeRefund');
  const summary = t('authorize.summary', { type: typeName, amount: formatYuan(refund.amount), sale: sale.id });
  const home = (
    <Button block size="large" color="primary" onClick={() => go({ name: 'home' })}>
      {t('authorize.toHome')}
    </Button>
  );

  const state = expired ? 'expired' : refund.status;
  if (FINAL.has(state)) {
    const ok = state === 'succeeded';
    const text = ok
      ? isVoid
        ? t('authorize.voidSucceeded')
        : t('authorize.succeeded')
      : state === 'expired'
        ? t('authorize.expired')
        : state === 'canceled'
          ? t('authorize.canceled')
          : t('authorize.failed');
    return (
      <Screen title={ok ? (isVoid ? t('authorize.voidSucceeded') : t('authorize.succeededTitle')) : text} footer={home}>
        <Result
          status={ok ? 'success' : 'error'}
          title={
            <div role="status">
              {text}
              {ok ? ` ${formatYuan(refund.amount)}` : ''}
            </div>
          }
          description={t('authorize.result', { type: typeName, amount: formatYuan(refund.amount), id: refund.id })}
        />
      </Screen>
    );
  }

  if (waiting) {
    return (
      <Screen title={t('authorize.waitingTitle')} footer={home}>
        <Result
          status="waiting"
          title={
            <div role="status">
              {refund.status === 'processing' ? t('authorize.processing') : t('authorize.waiting')}
            </div>
          }
          description={
            <>
              <div>{summary}</div>
              <div>{t('authorize.waitingHint')}</div>
            </>
          }
        />
      </Screen>
    );
  }

  const status: string[] = [];
  if (locked) status.push(t('authorize.locked', { minutes: Math.ceil(((lockedUntil ?? now) - now) / 60_000) }));
  if (problem) status.push(problem);
  if (typeof attemptsLeft === 'number' && !locked) status.push(t('authorize.attemptsLeft', { n: attemptsLeft }));
  if (needsCode && codeLeft !== undefined)
    status.push(
      codeLeft > 0 ? t('authorize.timeLeft', { time: minutesSeconds(codeLeft) }) : t('authorize.codeExpired'),
    );
  if (notice) status.push(notice);
  const neededNames = needed.map((factor) =>
    factor === 'refund_key'
      ? t('authorize.refundKey')
      : factor === 'one_time_code'
        ? t('authorize.code')
        : t('authorize.approval'),
  );

  return (
    <Screen title={isVoid ? t('authorize.voidTitle') : t('authorize.title')}>
      <form onSubmit={(event) => void authorize(event)} className="pos-form">
        <div className="pos-card">
          <strong className="pos-amount-big">{formatYuan(refund.amount)}</strong>
          <div>{summary}</div>
          <div>{t('authorize.needs', { what: neededNames.join(' + ') })}</div>
          {needsCode && auth.code_sent_to.length > 0 ? (
            <div>{t('authorize.sentTo', { to: auth.code_sent_to.join(', ') })}</div>
          ) : null}
        </div>
        {needsKey ? (
          <Field id="refund-key" label={t('authorize.refundKey')}>
            <Input
              id="refund-key"
              type="password"
              value={refundKey}
              onChange={setRefundKey}
              autoComplete="off"
              disabled={locked}
              className="pos-input"
            />
          </Field>
        ) : null}
        {needsCode ? (
          <Field id="one-time-code" label={t('authorize.code')}>
            <Input
              id="one-time-code"
              value={code}
              onChange={(value) => setCode(value.replace(/\s/g, ''))}
              inputMode="numeric"
              autoComplete="one-time-code"
              disabled={locked}
              className="pos-input"
            />
          </Field>
        ) : null}
        <div role="status" className={`pos-result${locked || problem ? ' pos-bad' : ''}`}>
          {status.map((line) => (
            <div key={line}>{line}</div>
          ))}
        </div>
        <Button
          block
          color="primary"
          size="large"
          type="submit"
          loading={busy}
          disabled={locked || (needsKey && !refundKey) || (needsCode && !code)}
        >
          {t('authorize.submit')}
        </Button>
        <div className="pos-actions">
          {needsCode ? (
            <Button block size="large" onClick={() => void resend()} disabled={busy || locked}>
              {t('authorize.resend')}
            </Button>
          ) : null}
          <Button block size="large" fill="outline" onClick={() => void cancel()} disabled={busy}>
            {t('authorize.cancel')}
          </Button>
        </div>
      </form>
    </Screen>
  );
}
