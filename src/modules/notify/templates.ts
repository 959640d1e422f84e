import { formatYuan } from '../../lib/money.js';
import { type Params, TEMPLATES } from './template-texts.js';

/** The default signature; Chinese carriers require the one registered for the sender (SMS_SIGNATURE). */
export const DEFAULT_SMS_SIGNATURE = '【refundkey】';

/** A message rendered for one channel and language. */
export interface RenderedMessage {
  locale: 'zh-CN' | 'en';
  subject: string;
  text: string;
  html: string;
  sms: string;
}

/** How messages are signed: the carrier-registered SMS signature, also the e-mail subject's prefix. */
export interface RenderOptions {
  signature?: string;
}

/** Templates whose parameters carry a secret; such a message cannot be re-sent once the secret is erased. */
export const SECRET_TEMPLATES = new Set([
  'refund_code',
  'recovery_code',
  'staff_invitation',
  'operator_password',
  'second_factor_code',
  'phone_verification',
  'password_reset',
  'refund_key_recovery_code',
  'support_reset_link',
  'application_phone_code',
  'application_status_link',
  'application_terminals',
  'recipient_verification',
]);

/** One UCS-2 SMS holds 70 characters; a code must arrive in one part (one bill, nothing to reassemble). */
export const SINGLE_SMS_CHARS = 70;

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
  { signature = DEFAULT_SMS_SIGNATURE }: RenderOptions = {},
): RenderedMessage {
  const lang = pickLocale(locale);
  const fn = TEMPLATES[lang][template];
  if (!fn) throw new Error(`unknown message template ${template}`);
  const { subject, lines, sms } = fn(reader(params, lang));
  const footer =
    lang === 'en' ? 'refundkey · this message was sent automatically.' : 'refundkey · 此邮件由系统自动发送，请勿回复。';
  // A template may offer shorter SMS variants (richest first): the first that fits one part is sent.
  const variants = Array.isArray(sms) ? sms : [sms];
  const signed = variants.map((text) => `${signature}${text}`);
  return {
    locale: lang,
    subject: `${signature}${subject}`,
    text: `${lines.join('\n')}\n\n${footer}\n`,
    html: htmlPage(lang, subject, lines, footer),
    sms: signed.find((text) => text.length <= SINGLE_SMS_CHARS) ?? signed.at(-1) ?? signature,
  };
}

/**
 * The short reference of a sale that people read and say: the last 6 characters of its id (`sal_…x8Y7z2` → `x8Y7z2`),
 * as the terminal's receipt and the back office list show it.
 */
export function shortReference(id: string): string {
  const body = id.includes('_') ? id.slice(id.indexOf('_') + 1) : id;
  return body.slice(-6);
}

// Merchants are in China: times are shown in Beijing time, whatever the server's time zone.
const ZH_PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Shanghai',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const EN_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Shanghai',
  month: 'short',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** 12月02日 04:57 (zh-CN, the Chinese way) or "02 Dec, 04:57" (en); `clock` keeps only the hour and minute. */
function formatTime(ms: number, lang: 'zh-CN' | 'en', clockOnly: boolean): string {
  if (lang === 'en' && !clockOnly) return EN_TIME.format(ms);
  const part = (type: Intl.DateTimeFormatPartTypes) => ZH_PARTS.formatToParts(ms).find((p) => p.type === type)?.value;
  const clock = `${part('hour')}:${part('minute')}`;
  return clockOnly ? clock : `${part('month')}月${part('day')}日 ${clock}`;
}

/**
 * An internal id as newId makes it (three letters, "_", 20 letters and digits). Only that shape: a secret made by
 * newSecret (inv_ + 43 base64url characters) has no "-" or "_" after its prefix about one time in four, and was then
 * hidden from the very message that carries it (an invitation SMS without its code).
 */
const INTERNAL_ID = /^[a-z]{3}_[0-9A-Za-z]{20}$/;

/**
 * The parameters that are references a person quotes (a support case number, read out on the phone to the desk):
 * shown whole although shaped like an internal id. Only these names; an id under any other name stays hidden.
 */
const SHOWN_REFERENCES = new Set(['case_no']);

function reader(params: Record<string, unknown>, lang: 'zh-CN' | 'en'): Params {
  const present = (name: string) => params[name] !== undefined && params[name] !== null && params[name] !== '';
  const first = (names: string[]) => {
    const name = names.find(present);
    return name === undefined ? undefined : params[name];
  };
  const millis = (names: string[]) => {
    const value = first(names);
    return typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  };
  // What a person knows: a value that is an internal id (opr_…, trm_…) is never shown, as if it were absent.
  const human = (name: string) =>
    present(name) && (SHOWN_REFERENCES.has(name) || !INTERNAL_ID.test(String(params[name])));
  return {
    has: (...names) => names.some(human),
    text: (...names) => {
      const name = names.find(human);
      return name === undefined ? '—' : String(params[name]);
    },
    yuan: (...names) => {
      const value = first(names);
      if (typeof value === 'string' && value.includes('¥')) return value;
      const fen = Number(value);
      return value !== undefined && Number.isFinite(fen) ? formatYuan(Math.round(fen)) : '—';
    },
    time: (...names) => {
      const ms = millis(names);
      return Number.isFinite(ms) ? formatTime(ms, lang, false) : '—';
    },
    clock: (...names) => {
      const ms = millis(names);
      return Number.isFinite(ms) ? formatTime(ms, lang, true) : '—';
    },
    ref: (...names) => {
      const value = first(names);
      return value === undefined ? '—' : shortReference(String(value));
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
