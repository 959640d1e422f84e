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

function isTexts(value: object): value is Texts {
  const keys = Object.keys(value);
  return (
    keys.length === 2 &&
    typeof (value as Partial<Texts>).zh === 'string' &&
    typeof (value as Partial<Texts>).en === 'string'
  );
}

/**
 * `value` with every `{zh, en}` inside it (e.g. the reasons of a refused password) replaced by its `lang` text, for an
 * answer in one language. Plain data only; anything deeper than a few levels is left as it is.
 */
export function localized<T>(value: T, lang: Lang, depth = 0): Localized<T> {
  if (value === null || typeof value !== 'object' || depth > 6) return value as Localized<T>;
  if (Array.isArray(value)) return value.map((item) => localized(item, lang, depth + 1)) as Localized<T>;
  if (isTexts(value)) return textIn(value, lang) as Localized<T>;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, localized(inner, lang, depth + 1)]),
  ) as Localized<T>;
}

/** The type of `localized(value)`: `Texts` become strings. */
export type Localized<T> = T extends Texts
  ? string
  : T extends Array<infer U>
    ? Array<Localized<U>>
    : T extends object
      ? { [K in keyof T]: Localized<T[K]> }
      : T;
