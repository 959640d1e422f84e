/**
 * Independent reads started at once and awaited together. On PostgreSQL they overlap on the pool's connections: one
 * wait for the slowest instead of one wait each, which under load is most of a request's time. On SQLite they run one
 * after the other on its one connection, as before. A failure is answered as if they had run in argument order: the
 * first failed step's error, not whichever failed first in time, and no rejection is left unhandled. Only for steps
 * without effects: the later steps run even when an earlier one fails.
 */
export async function together<T extends readonly unknown[]>(
  ...steps: { [K in keyof T]: Promise<T[K]> | T[K] }
): Promise<T> {
  const settled = await Promise.allSettled(steps);
  for (const step of settled) if (step.status === 'rejected') throw step.reason;
  return settled.map((step) => (step as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
