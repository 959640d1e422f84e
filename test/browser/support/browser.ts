import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import type { DialectName } from '../../../src/db/database.js';
import type { ManualClock } from '../../../src/lib/clock.js';
import { trackPage } from '../../support/open-pages.js';
import { TestApp } from '../../support/test-app.js';

/** Debian's chromium (installed by .ci/run); never a downloaded browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Browser journeys run wherever Chromium is installed, and always in CI (where a missing browser fails the launch, and
 * scripts/check-dialects.mjs fails a run whose browser suites did not pass). On a machine without it they are skipped
 * with a message saying how to get it.
 */
export const describeBrowser: typeof describe =
  existsSync(CHROMIUM_PATH) || process.env.CI ? describe : (describe.skip as typeof describe);
if (!existsSync(CHROMIUM_PATH) && !process.env.CI) {
  console.warn(
    `[refundkey tests] browser journeys skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium)`,
  );
}

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: FLAGS, headless: true });
}

/** A phone (approvals are done on phones), a desktop, and the two terminal screens of issue 14. */
export const VIEWPORTS = {
  phone: { width: 375, height: 812 },
  desktop: { width: 1280, height: 800 },
  posPhone: { width: 360, height: 640 },
  posTablet: { width: 800, height: 1280 },
} as const;

/**
 * A real refundkey listening on localhost (passkeys are refused on a bare IP address), with its pages built by
 * scripts/build-web.mjs (test/support/global-setup.ts runs it first). `baseUrl` is http://localhost:PORT.
 */
export class WebApp {
  private constructor(
    readonly test: TestApp,
    readonly baseUrl: string,
  ) {}

  static async start(
    dialect: DialectName,
    options: { clock?: ManualClock; env?: Record<string, string>; allowSecretsInLogs?: boolean } = {},
  ): Promise<WebApp> {
    if (!existsSync(join(process.cwd(), 'dist/web/console/index.html'))) {
      throw new Error('the pages are not built: run `node scripts/build-web.mjs` (the test setup does it first)');
    }
    const test = await TestApp.start(dialect, options);
    await test.app.server.listen({ host: 'localhost', port: 0 });
    const address = test.app.server.addresses()[0];
    if (!address || typeof address === 'string') throw new Error('server has no TCP address');
    return new WebApp(test, `http://localhost:${address.port}`);
  }

  /** A page at `path` of this server, in a fresh context of `browser` (its own cookies and storage). */
  async open(
    browser: Browser,
    path: string,
    viewport: { width: number; height: number } = VIEWPORTS.desktop,
  ): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({
      viewport,
      baseURL: this.baseUrl,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const page = trackPage(await context.newPage());
    await page.goto(path);
    return { context, page };
  }

  close(): Promise<void> {
    return this.test.close();
  }
}

/** axe finds no serious or critical violation on the page as it is now. */
export async function expectAccessible(page: Page): Promise<void> {
  await motionSettled(page);
  const { violations } = await new AxeBuilder({ page }).analyze();
  const bad = violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.nodes.map((node) => `${node.target.join(' ')} ${node.failureSummary ?? ''}`).join('; ')}`,
    );
  expect(bad, `accessibility violations on ${page.url()}`).toEqual([]);
}

/**
 * Wait for the page's finite animations (a drawer closing, a modal opening, a message appearing) to end: axe measures
 * colours as they are drawn, and a form fading out under a modal reads as grey on grey (CI once failed on 1.24:1
 * mid-fade). A paused animation counts as moving (antd starts each motion paused for a frame), and the page must be
 * still for 3 frames in a row, since a motion library switches classes between frames. Endless animations (spinners)
 * are not waited for.
 */
async function motionSettled(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as { __stillFrames?: number }).__stillFrames = 0;
  });
  await page.waitForFunction(
    () => {
      const holder = window as { __stillFrames?: number };
      const still = document
        .getAnimations()
        .every(
          (animation) =>
            (animation.playState !== 'running' && animation.playState !== 'paused') ||
            animation.effect?.getComputedTiming().endTime === Infinity,
        );
      holder.__stillFrames = still ? (holder.__stillFrames ?? 0) + 1 : 0;
      return holder.__stillFrames >= 3;
    },
    undefined,
    { timeout: 10_000 },
  );
}

/** Every text the page asked for exists in its language (web/shared/i18n.ts records the missing ones). */
export async function expectAllTranslated(page: Page): Promise<void> {
  const missing = await page.evaluate(
    () => (window as unknown as { __missingTranslations?: string[] }).__missingTranslations ?? ['i18n not started'],
  );
  expect(missing, `missing translations on ${page.url()}`).toEqual([]);
}

/**
 * A screenshot of the page as it is now, named after the screen, in test-results/screenshots/ (or SCREENSHOT_DIR;
 * `npm run screenshots` writes docs/screenshots/, which docs/console.md and docs/terminal.md show).
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.SCREENSHOT_DIR ?? join(process.cwd(), 'test-results', 'screenshots');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}
