// When a browser journey fails, CI keeps only the log: print what each page still open showed at that moment (its
// address and visible text), so that a failure under load can be understood without rerunning it. Run before each
// test file (vitest.config.ts setupFiles); the browser support registers its pages with openPages().
import { afterEach } from 'vitest';
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
});
