// When a test fails, CI keeps only the log: print what each page still open showed at that moment (its address and
// visible text) and the last log lines of each app still running, so that a failure under load can be understood
// without rerunning it. Run before each test file (vitest.config.ts setupFiles); the browser support registers its
// pages with openPages(), TestApp its logs with openAppLogs().
import { afterEach } from 'vitest';
import { openAppLogs } from './open-apps.js';
import { openPages } from './open-pages.js';

afterEach(async ({ task }) => {
  if (task.result?.state !== 'fail') return;
  for (const page of openPages()) {
    if (page.isClosed()) continue;
    const text = await page
      .locator('body')
      // biome-ignore lint/performance/useDomNodeTextContent: Playwright's locator.innerText, the text a person sees
      .innerText({ timeout: 2_000 })
      .catch((error: unknown) => `(could not read the page: ${String(error)})`);
    console.error(`[page at failure] ${page.url()}\n${text.slice(0, 3_000)}\n[end of page]`);
  }
  // The server's side: its last log lines (requests received and answered, warnings), which the scan for secrets in
  // logs has checked like every other line.
  for (const logs of openAppLogs()) {
    const last = logs.slice(-30).map((line) => line.slice(0, 400));
    console.error(
      `[server log at failure, last ${last.length} of ${logs.length} lines]\n${last.join('\n')}\n[end of log]`,
    );
  }
});
