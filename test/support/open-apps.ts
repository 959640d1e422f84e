// The log lines of the apps the tests have running, for test/support/report-failures.ts to print the server's side of a
// failure (which requests came, which never finished) beside the page.

/** The captured logs of every running TestApp (one set per worker process, whatever module instance asks). */
export function openAppLogs(): Set<string[]> {
  const holder = globalThis as { __refundkeyOpenAppLogs?: Set<string[]> };
  holder.__refundkeyOpenAppLogs ??= new Set();
  return holder.__refundkeyOpenAppLogs;
}
