import { NetworkError, RefundkeyError } from './errors.js';
import type { ErrorEnvelope } from './types.js';

/** One HTTP exchange with the server: the parsed JSON answer, a RefundkeyError with the envelope, or a NetworkError. */
export class Http {
  constructor(
    private readonly baseUrl: string,
    private readonly fetchImpl: typeof fetch,
    private readonly timeoutMs: number,
  ) {}

  async exchange(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    headers: Record<string, string>,
  ): Promise<unknown> {
    const sent: Record<string, string> = { accept: 'application/json', ...headers };
    if (body !== undefined) sent['content-type'] = 'application/json';
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    let status: number;
    let text: string;
    try {
      const response = await this.fetchImpl(`${this.baseUrl}${path}`, {
        method,
        headers: sent,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: controller.signal,
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      const reason = controller.signal.aborted ? `no answer in ${this.timeoutMs} ms` : describe(error);
      throw new NetworkError(`${method} ${path}: ${reason}`, undefined, { cause: error });
    } finally {
      clearTimeout(timer);
    }
    const json = parseJson(text);
    if (status >= 200 && status < 300) return json;
    const envelope = (json as Partial<ErrorEnvelope> | undefined)?.error;
    if (envelope && typeof envelope.code === 'string') throw new RefundkeyError(status, envelope);
    // Not our envelope: a proxy or load balancer answered.
    throw new RefundkeyError(status, { code: `HTTP_${status}`, message: text.slice(0, 200) || `HTTP ${status}` });
  }
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? error.message;
  }
  return String(error);
}
