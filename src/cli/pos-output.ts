// What `refundkey pos` prints: an answer as text or one JSON object, and a failure as its message and exit code.
import { NetworkError, RefundkeyError } from '../sdk/index.js';
import { isParseError, UsageError } from './pos-flags.js';

/** Human text or one JSON object on stdout; refusals on stderr (or as JSON on stdout with --json). */
export class Output {
  constructor(readonly json: boolean) {}

  print(value: unknown, text: () => string): void {
    if (this.json) process.stdout.write(`${JSON.stringify(value)}\n`);
    else console.log(text());
  }

  /** Print why a command failed; the exit code: 2 bad usage, 1 refused, 3 no answer. Anything else is rethrown. */
  failure(error: unknown): number {
    if (error instanceof UsageError || isParseError(error)) {
      console.error(`refundkey pos: ${(error as Error).message}; see 'refundkey pos --help'`);
      return 2;
    }
    if (error instanceof RefundkeyError) {
      if (this.json) {
        process.stdout.write(`${JSON.stringify({ error: { ...error.details, status: error.status } })}\n`);
      } else {
        const extra = [
          error.attemptsLeft !== undefined ? `剩余次数 attempts left: ${error.attemptsLeft}` : '',
          error.retryAfterS !== undefined ? `请 ${error.retryAfterS} 秒后重试 retry after ${error.retryAfterS} s` : '',
          error.requestId ? `request ${error.requestId}` : '',
        ].filter(Boolean);
        console.error(`${error.code}: ${error.message}${extra.length ? `\n  ${extra.join('; ')}` : ''}`);
      }
      return 1;
    }
    if (error instanceof NetworkError) {
      const pending = error.operation
        ? { idempotency_key: error.operation.idempotency_key, kind: error.operation.kind }
        : undefined;
      if (this.json) {
        process.stdout.write(`${JSON.stringify({ error: { code: 'NETWORK', message: error.message, pending } })}\n`);
      } else {
        console.error(`网络无应答 no answer: ${error.message}`);
        if (pending) {
          console.error(
            "  操作已保留，请运行 'refundkey pos resume' / kept; run 'refundkey pos resume' (never charged twice)",
          );
        }
      }
      return 3;
    }
    throw error;
  }
}
