import { type Lang, type Texts, textIn } from './i18n.js';

/**
 * A domain error: an UPPER_SNAKE code, an HTTP status, its message in each language and optional extra fields for the
 * envelope of docs/api.md. `message` (what logs show) is the English one; the envelope shows the request's language.
 */
export class AppError extends Error {
  readonly texts: Texts;

  constructor(
    readonly status: number,
    readonly code: string,
    message: Texts | string,
    readonly extra: Record<string, unknown> = {},
  ) {
    const texts = typeof message === 'string' ? { zh: message, en: message } : message;
    super(texts.en);
    this.name = 'AppError';
    this.texts = texts;
  }

  /** The message for people who read `lang`. */
  messageIn(lang: Lang): string {
    return textIn(this.texts, lang);
  }

  /** Build an error from a module's declared code table (`texts` replaces the table's message, in both languages). */
  static from<C extends string>(
    table: Record<C, ErrorSpec>,
    code: C,
    extra: Record<string, unknown> = {},
    texts?: Texts,
  ): AppError {
    const spec = table[code];
    return new AppError(spec.status, code, texts ?? { zh: spec.zh, en: spec.en }, extra);
  }
}

/** One error code: its HTTP status and its message in Chinese (`zh`, the default) and English (`en`). */
export interface ErrorSpec extends Texts {
  status: number;
}

/** Declare a module's error table once, typed by its codes. */
export function defineErrors<C extends string>(table: Record<C, ErrorSpec>): Record<C, ErrorSpec> {
  return table;
}

/** Errors every module may raise. */
export const CommonErrors = defineErrors({
  VALIDATION_FAILED: { status: 400, zh: '请求参数无效', en: 'Invalid request' },
  NOT_FOUND: { status: 404, zh: '对象不存在', en: 'Not found' },
  UNAUTHENTICATED: { status: 401, zh: '未认证', en: 'Not authenticated' },
  FORBIDDEN: { status: 403, zh: '无权执行此操作', en: 'Not allowed' },
});
