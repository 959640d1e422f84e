/** The languages people read our answers in: zh-CN first (the default), English for everyone else who asks. */
export type Lang = 'zh-CN' | 'en';

export const DEFAULT_LANG: Lang = 'zh-CN';

/** One text in each language, declared side by side so neither can be forgotten. */
export interface Texts {
  zh: string;
  en: string;
}

/** The text for `lang`. */
export function textIn(texts: Texts, lang: Lang): string {
  return lang === 'en' ? texts.en : texts.zh;
}

/**
 * The language an `Accept-Language` header asks for (RFC 9110 §12.5.4): the highest-weighted range we speak wins, `zh*`
 * is zh-CN, `en*` is English; nothing we speak (or no header) is zh-CN. Ties keep the header's order.
 */
export function pickLanguage(header: string | undefined): Lang {
  if (!header) return DEFAULT_LANG;
  let best: { lang: Lang; q: number } | undefined;
  for (const part of header.split(',').slice(0, 20)) {
    const [range = '', ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    const lang =
      range === 'en' || range.startsWith('en-')
        ? 'en'
        : range === 'zh' || range.startsWith('zh-')
          ? 'zh-CN'
          : undefined;
    if (lang && (!best || q > best.q)) best = { lang, q };
  }
  return best?.lang ?? DEFAULT_LANG;
}

// A zod issue carries one string, and our schemas are built once for every request: a field message in both languages
// travels as this marker plus JSON, and the error handler picks the request's language out of it.
const FIELD_MESSAGE = '\u0001texts:';

/** A validation message (for a zod check) in both languages; the error envelope shows the request's one. */
export function fieldMessage(texts: Texts): string {
  return `${FIELD_MESSAGE}${JSON.stringify(texts)}`;
}

/** The `lang` side of a message made by `fieldMessage`; undefined for any other string (zod's own messages). */
export function fieldMessageIn(message: string, lang: Lang): string | undefined {
  if (!message.startsWith(FIELD_MESSAGE)) return undefined;
  try {
    const texts = JSON.parse(message.slice(FIELD_MESSAGE.length)) as Partial<Texts>;
    const text = lang === 'en' ? texts.en : texts.zh;
    return typeof text === 'string' ? text : undefined;
  } catch {
    return undefined;
  }
}
