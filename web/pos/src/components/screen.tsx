import { Button, NoticeBar } from 'antd-mobile';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { type Lang, switchLanguage } from '../../../shared/i18n.js';
import { useTerminal } from '../terminal.js';

/**
 * Every screen: a header with its title (the page's one h1), a way back home, the language switch, and the offline
 * banner above everything else so the cashier sees at once that the network is gone and that nothing is lost.
 */
export function Screen({
  title,
  onBack,
  children,
  footer,
}: {
  title: string;
  onBack?: () => void;
  children: ReactNode;
  footer?: ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const { online, pendingCount, resuming, resume } = useTerminal();
  const other: Lang = i18n.language === 'en' ? 'zh-CN' : 'en';
  return (
    <div className="pos-screen">
      <header className="pos-header no-print">
        {onBack ? (
          <Button fill="none" className="pos-header-side" onClick={onBack}>
            <span aria-hidden="true">‹ </span>
            {t('app.back')}
          </Button>
        ) : (
          <span className="pos-header-side" />
        )}
        <h1>{title}</h1>
        <Button fill="none" className="pos-header-side" onClick={() => void switchLanguage(other)}>
          <span lang={other}>{t('app.language')}</span>
        </Button>
      </header>
      {!online || pendingCount > 0 || resuming ? (
        <div role="alert" className="no-print">
          <NoticeBar
            color={online ? 'info' : 'alert'}
            wrap
            content={
              <span>
                {online ? (resuming ? t('app.resuming') : t('app.pending', { count: pendingCount })) : t('app.offline')}
                {online && !resuming && pendingCount > 0 ? (
                  <Button size="mini" color="primary" className="pos-inline-button" onClick={() => void resume()}>
                    {t('app.retryNow')}
                  </Button>
                ) : null}
              </span>
            }
          />
        </div>
      ) : null}
      <main className="pos-main">{children}</main>
      {footer ? <footer className="pos-footer no-print">{footer}</footer> : null}
    </div>
  );
}

/** A labelled field: the label names the control for people and for assistive technology (and the tests). */
export function Field({
  id,
  label,
  hint,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  children: ReactNode;
}) {
  return (
    <div className="pos-field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint ? (
        <div className="pos-hint" id={`${id}-hint`}>
          {hint}
        </div>
      ) : null}
    </div>
  );
}
