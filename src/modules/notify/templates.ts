import { formatYuan } from '../../lib/money.js';
import { type Params, TEMPLATES } from './template-texts.js';

export const SMS_SIGNATURE = '【refundkey】';

/** A message rendered for one channel and language. */
export interface RenderedMessage {
  locale: 'zh-CN' | 'en';
  subject: string;
  text: string;
  html: string;
  sms: string;
}

/** Templates whose parameters carry a secret; such a message cannot be re-sent once the secret is erased. */
export const SECRET_TEMPLATES = new Set(['refund_code', 'recovery_code']);

/** zh-CN unless the recipient asked for English. */
export function pickLocale(locale: string | null | undefined): 'zh-CN' | 'en' {
  return locale?.toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
}

/** True when a template exists for this name. */
export function hasTemplate(template: string): boolean {
  return template in TEMPLATES['zh-CN'];
}

/** Render a template in the recipient's language: e-mail subject, text and HTML, and the SMS text. */
export function renderMessage(
  template: string,
  locale: string | null | undefined,
  params: Record<string, unknown>,
): RenderedMessage {
  const lang = pickLocale(locale);
  const fn = TEMPLATES[lang][template];
  if (!fn) throw new Error(`unknown message template ${template}`);
  const { subject, lines, sms } = fn(reader(params, lang));
  const footer =
    lang === 'en' ? 'refundkey · this message was sent automatically.' : 'refundkey · 此邮件由系统自动发送，请勿回复。';
  return {
    locale: lang,
    subject: `${SMS_SIGNATURE}${subject}`,
    text: `${lines.join('\n')}\n\n${footer}\n`,
    html: htmlPage(lang, subject, lines, footer),
    sms: `${SMS_SIGNATURE}${sms}`,
  };
}

const TIME_FORMAT: Record<'zh-CN' | 'en', Intl.DateTimeFormat> = {
  // Merchants are in China: times are shown in Beijing time, whatever the server's time zone.
  'zh-CN': new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }),
  en: new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Shanghai',
    month: 'short',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }),
};

function reader(params: Record<string, unknown>, lang: 'zh-CN' | 'en'): Params {
  const present = (name: string) => params[name] !== undefined && params[name] !== null && params[name] !== '';
  const first = (names: string[]) => {
    const name = names.find(present);
    return name === undefined ? undefined : params[name];
  };
  return {
    has: (...names) => names.some(present),
    text: (...names) => {
      const value = first(names);
      return value === undefined ? '—' : String(value);
    },
    yuan: (...names) => {
      const value = first(names);
      if (typeof value === 'string' && value.includes('¥')) return value;
      const fen = Number(value);
      return value !== undefined && Number.isFinite(fen) ? formatYuan(Math.round(fen)) : '—';
    },
    time: (...names) => {
      const value = first(names);
      const ms = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : Number.NaN;
      return Number.isFinite(ms) ? TIME_FORMAT[lang].format(ms) : '—';
    },
  };
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function htmlPage(lang: string, subject: string, lines: string[], footer: string): string {
  const body = lines.map((line) => `<p style="margin:0 0 8px">${escapeHtml(line)}</p>`).join('\n');
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family:-apple-system,'PingFang SC','Microsoft YaHei',sans-serif;font-size:15px;color:#222">
<h2 style="font-size:18px">${escapeHtml(subject)}</h2>
${body}
<p style="color:#888;font-size:12px;margin-top:24px">${escapeHtml(footer)}</p>
</body></html>`;
}
