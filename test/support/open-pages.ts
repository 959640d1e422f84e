// The pages the browser journeys have open, for test/support/report-failures.ts to print when a test fails.

export interface ShownPage {
  url(): string;
  once(event: 'close', listener: () => void): unknown;
  isClosed(): boolean;
  locator(selector: string): { innerText(options?: { timeout?: number }): Promise<string> };
}

/** The pages the browser journeys have open (one set per worker process, whatever module instance asks). */
export function openPages(): Set<ShownPage> {
  const holder = globalThis as { __refundkeyOpenPages?: Set<ShownPage> };
  holder.__refundkeyOpenPages ??= new Set();
  return holder.__refundkeyOpenPages;
}

/** Keep `page` among the open pages until it closes. */
export function trackPage<P extends ShownPage>(page: P): P {
  openPages().add(page);
  page.once('close', () => openPages().delete(page));
  return page;
}
