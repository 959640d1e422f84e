/** A domain error: an UPPER_SNAKE code, an HTTP status and optional extra fields for the envelope of API.md. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }

  /** Build an error from a module's declared code table. */
  static from<C extends string>(
    table: Record<C, ErrorSpec>,
    code: C,
    extra: Record<string, unknown> = {},
    message?: string,
  ): AppError {
    const spec = table[code];
    return new AppError(spec.status, code, message ?? spec.message, extra);
  }
}

export interface ErrorSpec {
  status: number;
  message: string;
}

/** Declare a module's error table once, typed by its codes. */
export function defineErrors<C extends string>(table: Record<C, ErrorSpec>): Record<C, ErrorSpec> {
  return table;
}

/** Errors every module may raise. */
export const CommonErrors = defineErrors({
  VALIDATION_FAILED: { status: 400, message: '请求参数无效 / Invalid request' },
  NOT_FOUND: { status: 404, message: '对象不存在 / Not found' },
  UNAUTHENTICATED: { status: 401, message: '未认证 / Not authenticated' },
  FORBIDDEN: { status: 403, message: '无权执行此操作 / Not allowed' },
});
