import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { DialectName } from '../../../src/db/database.js';
import type { DemoMerchant } from '../../../src/modules/demo/demo.service.js';
import { en, zhCN } from '../../../web/pos/src/messages.js';
import { FakeSmsc } from '../../notify/support/smsc.js';
import { SmtpSink } from '../../notify/support/smtp-sink.js';
import { trackPage } from '../../support/open-pages.js';
import { rememberSecondFactor, StaffClient } from '../../support/staff-client.js';
import { expectAccessible, expectAllTranslated, screenshot, VIEWPORTS, WebApp } from './browser.js';

/** The terminal app's stories: a real server on localhost whose messages go to real SMTP and SMPP test servers. */
export class PosWorld {
  private constructor(
    readonly web: WebApp,
    readonly smsc: FakeSmsc,
    readonly smtp: SmtpSink,
    readonly demo: DemoMerchant,
  ) {}

  static async start(dialect: DialectName): Promise<PosWorld> {
    const smsc = new FakeSmsc();
    const smtp = new SmtpSink();
    await Promise.all([smsc.start(), smtp.start()]);
    const web = await WebApp.start(dialect, {
      env: { SMTP_URL: smtp.url, SMTP_SECURE: 'none', SMPP_URL: smsc.url },
    });
    const demo = await web.test.services.demo.createDemoMerchant();
    const secrets = web.test.secrets;
    secrets.add('password', demo.owner.password);
    secrets.add('password', demo.manager.password);
    secrets.add('refund key', demo.refund_key);
    for (const person of [demo.owner, demo.manager]) {
      rememberSecondFactor(web.test, person.login, {
        totpSecret: person.totp_secret,
        backupCodes: person.backup_codes,
      });
    }
    for (const store of demo.stores) {
      for (const operator of store.operators) secrets.add('password', operator.password);
      for (const terminal of store.terminals) secrets.add('activation code', terminal.activation_code);
    }
    return new PosWorld(web, smsc, smtp, demo);
  }

  store(index: number) {
    const store = this.demo.stores[index];
    if (!store) throw new Error(`demo store ${index} missing`);
    return store;
  }

  /** The owner (or manager) in the back office, re-authenticated, speaking the staff API. */
  async staff(who: 'owner' | 'manager'): Promise<StaffClient> {
    const person = this.demo[who];
    const client = await StaffClient.signIn(this.web.test, person.login, person.password);
    await client.reauth();
    return client;
  }

  /**
   * The newest refund code that reached `phone` through the SMPP server (the delivery worker's pass is run here, as the
   * server's worker would run it).
   */
  async smsCode(phone: string, after = 0): Promise<string> {
    for (let i = 0; i < 50; i++) {
      await this.web.test.services.delivery.deliverDue();
      const codes = this.smsc
        .messages()
        .filter((sms) => sms.destination.endsWith(phone))
        .map((sms) => /验证码\s*(\d{4,8})/.exec(sms.text)?.[1])
        .filter((code): code is string => Boolean(code));
      if (codes.length > after) return codes[codes.length - 1] as string;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no refund code by SMS to ${phone}`);
  }

  /** How many refund codes reached `phone` so far. */
  smsCount(phone: string): number {
    return this.smsc.messages().filter((sms) => sms.destination.endsWith(phone) && /验证码\s*\d/.test(sms.text)).length;
  }

  /** The terminal app in a fresh context, its clock set to the server's (the code countdown is computed locally). */
  async open(
    browser: Browser,
    lang: 'en' | 'zh-CN',
    viewport: { width: number; height: number } = VIEWPORTS.posPhone,
  ): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({
      viewport,
      baseURL: this.web.baseUrl,
      locale: lang,
      timezoneId: 'Asia/Shanghai',
    });
    const page = trackPage(await context.newPage());
    await page.clock.install({ time: this.web.test.clock.now() });
    await page.goto(`/pos/?lang=${lang}`);
    return { context, page };
  }

  async close(): Promise<void> {
    try {
      await this.web?.close();
    } finally {
      await Promise.all([this.smsc?.stop(), this.smtp?.stop()]);
    }
  }
}

type Messages = typeof en.translation;
/** The app's own texts, so the Chinese tour selects controls by the names a Chinese cashier sees. */
export const TEXTS: Record<'en' | 'zh-CN', Messages> = { en: en.translation, 'zh-CN': zhCN.translation };

/** Every screen: all texts translated and no serious or critical axe finding. */
export async function checkScreen(page: Page): Promise<void> {
  await expectAllTranslated(page);
  await expectAccessible(page);
}

/** The screen's title (its one h1), waited for. */
export async function expectScreen(page: Page, title: string): Promise<void> {
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 10_000 }).toBe(title);
}

/** Screenshots of the screen as it is, at the phone and the 7-inch terminal sizes: pos-<name>-360.png and -800.png. */
export async function shoot(page: Page, name: string): Promise<void> {
  for (const viewport of [VIEWPORTS.posTablet, VIEWPORTS.posPhone]) {
    await page.setViewportSize(viewport);
    await page.waitForTimeout(150);
    await screenshot(page, `pos-${name}-${viewport.width}`);
  }
}

/** The text of the screen's `status` region that matches, waited for. */
export async function statusText(page: Page, match: RegExp, timeout = 10_000): Promise<string> {
  const region = page.getByRole('status').filter({ hasText: match });
  await expect.poll(() => region.count(), { timeout }).toBeGreaterThan(0);
  // biome-ignore lint/performance/useDomNodeTextContent: innerText keeps the breaks between the region's lines (textContent runs the sale reference into the next word)
  return region.first().innerText();
}
