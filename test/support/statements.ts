import type { TestApp } from './test-app.js';

/**
 * The SQL statements `request` sends through the app's real database connection (begin and commit included), counted
 * until it has answered and, with `settleMs`, that long after (work the answer does not wait for).
 */
export async function statementsOf<T>(
  t: TestApp,
  request: () => Promise<T>,
  { settleMs = 0 }: { settleMs?: number } = {},
): Promise<{ answer: T; statements: string[] }> {
  const statements: string[] = [];
  const stop = t.services.database.onQuery((text) => statements.push(text));
  try {
    const answer = await request();
    if (settleMs > 0) await new Promise((done) => setTimeout(done, settleMs));
    return { answer, statements };
  } finally {
    stop();
  }
}
