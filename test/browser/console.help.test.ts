// Issue 15 on the console: announcements (公告) and after-sales tickets (售后). A platform admin publishes an urgent
// announcement on the Announcements page; the owner sees it as a banner on every console page and acknowledges it
// ("Got it"), which the API records; the terminal API returns the same announcement. The owner opens a ticket on the
// Tickets page (category, text, a terminal); a support agent answers and moves it on the same page; the owner reads the
// answer, and the status changes reached the owner over the real SMPP and SMTP servers. Every page translated and
// accessible in both languages, at 1280 and 375 px, with screenshots.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ManualClock, MINUTE } from '../../src/lib/clock.js';
import { person } from '../mfa/mfa-helpers.js';
import { FakeSmsc } from '../notify/support/smsc.js';
import { SmtpSink } from '../notify/support/smtp-sink.js';
import { DIALECTS } from '../support/databases.js';
import { StaffClient } from '../support/staff-client.js';
import type { SeededMerchant } from '../support/test-app.js';
import { describeBrowser, launchBrowser, WebApp } from './support/browser.js';
import { checkPageInBothLanguages, openSignedIn } from './support/console.js';

const TITLE = '今晚系统升级';
const BODY = '今晚 23:00 至 23:30 暂停结算，请提前完成结算。';
const PROBLEM = '打印机不出纸，重启后仍然不行';
const ANSWER = '请检查纸卷方向后重启终端，如仍有问题我们会上门更换。';

describeBrowser.each(DIALECTS)('console: announcements and after-sales tickets [%s]', (dialect) => {
  let web: WebApp;
  let browser: Browser;
  let m: SeededMerchant;
  const smtp = new SmtpSink();
  const smsc = new FakeSmsc();
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    await Promise.all([smtp.start(), smsc.start()]);
    [web, browser] = await Promise.all([
      WebApp.start(dialect, {
        clock: new ManualClock(Date.now()),
        env: { SMTP_URL: smtp.url, SMTP_SECURE: 'none', SMPP_URL: smsc.url },
      }),
      launchBrowser(),
    ]);
    m = await web.test.seedMerchant();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await web?.close();
    await Promise.all([smtp.stop(), smsc.stop()]);
  });

  async function signedIn(who: { login: string; password: string }, path: string) {
    const opened = await openSignedIn(web, browser, who, path);
    contexts.push(opened.context);
    return opened.page;
  }
  async function heading(page: Page, name: string) {
    await expect.poll(() => page.getByRole('heading', { name, level: 1 }).count(), { timeout: 15_000 }).toBe(1);
  }
  async function shown(page: Page, role: 'status' | 'alert', text: string | RegExp, count = 1) {
    await expect
      .poll(() => page.getByRole(role).filter({ hasText: text }).count(), { timeout: 15_000 })
      .toBe(count)
      .catch(async (error) => {
        throw new Error(`no ${role} "${text}" in: ${await page.locator('main').textContent()}`, { cause: error });
      });
  }
  /** Messages over the real servers, after the outbox delivered everything due. */
  async function delivered() {
    for (let i = 0; i < 50; i++) if ((await web.test.services.delivery.deliverDue()).claimed === 0) break;
  }
  const ownerEmail = async () => (await web.test.services.staff.findByLogin(m.demo.owner.login))?.email ?? '';

  it('an admin publishes an urgent announcement; the owner acknowledges the banner; the terminal API returns it', async () => {
    const admin = await person(web.test, null, 'admin');
    const page = await signedIn(admin, '/console/announcements?lang=en');
    await heading(page, 'Announcements');

    web.test.clock.set(Date.now()); // the form starts the announcement at the browser's minute: the server's now
    await page.getByRole('textbox', { name: 'Title' }).fill(TITLE);
    await page.getByRole('textbox', { name: 'Text' }).fill(BODY);
    await page.getByRole('radio', { name: 'Urgent' }).check();
    await page.getByRole('button', { name: 'Publish' }).click();
    await shown(page, 'status', `Announcement “${TITLE}” published and sent to the owners by SMS and e-mail`);
    const history = page.getByRole('table', { name: 'Announcements published' });
    await expect.poll(() => history.getByRole('row').filter({ hasText: TITLE }).count()).toBe(1);
    expect(await history.getByRole('row').filter({ hasText: TITLE }).textContent()).toContain(
      'people: 0 · merchants: 0',
    );
    web.test.clock.advance(MINUTE);

    // The owner sees it at the top of the console, on any page, until "Got it".
    const owner = await signedIn(m.demo.owner, '/console/stores?lang=en');
    const banner = owner.getByRole('region', { name: 'Platform announcements' });
    await shown(owner, 'alert', TITLE);
    expect(await banner.getByRole('alert').textContent()).toContain(BODY);
    await checkPageInBothLanguages(owner, 'announcements-banner', '门店');
    await owner.getByRole('alert').filter({ hasText: TITLE }).getByRole('button', { name: 'Got it' }).click();
    await expect.poll(() => banner.count(), { timeout: 10_000 }).toBe(0);
    await owner.reload();
    await heading(owner, 'Stores');
    expect(await owner.getByRole('alert').filter({ hasText: TITLE }).count()).toBe(0);

    // Recorded: the owner's list says when, the admin's counts say who; the terminal API returns the same one.
    const ownerApi = await StaffClient.signIn(web.test, m.demo.owner.login, m.demo.owner.password);
    const mine = (await ownerApi.get('/v1/announcements')).body.data.find((a: { title: string }) => a.title === TITLE);
    expect(mine.acknowledged_at).not.toBeNull();
    const acks = await web.test.db.selectFrom('announcement_acks').select(['via', 'announcement_id']).execute();
    expect(acks).toEqual([{ via: 'console', announcement_id: mine.id }]);
    const onTerminal = await web.test.request('GET', '/v1/announcements', {
      headers: { authorization: `Bearer ${m.terminal.key}` },
    });
    expect(onTerminal.status).toBe(200);
    expect(onTerminal.body.data.map((a: { id: string; severity: string }) => [a.id, a.severity])).toEqual([
      [mine.id, 'urgent'],
    ]);
    await page.reload();
    await expect
      .poll(() => history.getByRole('row').filter({ hasText: 'people: 1 · merchants: 1' }).count(), { timeout: 15_000 })
      .toBe(1);
    await checkPageInBothLanguages(page, 'announcements', '公告管理');

    // Urgent: the owner also got it by SMS and e-mail over the real servers.
    await delivered();
    expect(smsc.messages().some((s) => s.destination.endsWith('13800138000') && s.text.includes(TITLE))).toBe(true);
    const email = await ownerEmail();
    expect(smtp.mails.some((mail) => mail.to.includes(email) && mail.subject.includes(TITLE))).toBe(true);
  }, 240_000);

  it('the owner opens a ticket; a support agent answers and moves it; the owner reads the answer and was told', async () => {
    const terminal = await web.test.db
      .selectFrom('terminals')
      .innerJoin('stores', 'stores.id', 'terminals.store_id')
      .select(['terminals.name as terminal', 'stores.name as store'])
      .where('terminals.id', '=', m.terminal.id)
      .executeTakeFirstOrThrow();
    const owner = await signedIn(m.demo.owner, '/console/tickets?lang=en');
    await heading(owner, 'Tickets');
    await owner.getByRole('button', { name: 'Open a ticket' }).click();
    const dialog = owner.getByRole('dialog', { name: 'Open an after-sales ticket' });
    await dialog.getByRole('textbox', { name: 'Description' }).fill(PROBLEM);
    const option = `${terminal.store} · ${terminal.terminal}`;
    await dialog.getByRole('combobox', { name: 'Terminal' }).click();
    await owner.getByTitle(option, { exact: true }).click();
    await expect.poll(() => dialog.textContent()).toContain(option);
    await dialog.getByRole('button', { name: 'Submit' }).click();
    const detail = owner.getByRole('dialog', { name: PROBLEM });
    await shown(owner, 'status', 'Ticket opened; support will answer soon');
    await expect.poll(() => detail.textContent(), { timeout: 15_000 }).toContain(terminal.terminal);
    await checkPageInBothLanguages(owner, 'tickets-detail', '售后工单');
    await detail.getByRole('button', { name: 'Close', exact: true }).click();
    await expect.poll(() => owner.getByRole('button', { name: `View ticket: ${PROBLEM}` }).count()).toBe(1);
    await checkPageInBothLanguages(owner, 'tickets', '售后工单');

    // The agent answers, then marks it in progress.
    const agentWho = await person(web.test, null, 'support_agent');
    const agent = await signedIn(agentWho, '/console/tickets?lang=en');
    await agent.getByRole('button', { name: `View ticket: ${PROBLEM}` }).click();
    const agentDetail = agent.getByRole('dialog', { name: PROBLEM });
    await agentDetail.getByRole('textbox', { name: 'Reply' }).fill(ANSWER);
    await agentDetail.getByRole('button', { name: 'Send reply' }).click();
    await shown(agent, 'status', 'Reply sent');
    await agentDetail.getByRole('button', { name: 'Mark in progress' }).click();
    await shown(agent, 'status', 'The ticket is now “In progress”');
    await checkPageInBothLanguages(agent, 'tickets-support', '售后工单');

    // The owner reads the answer and the new status.
    await owner.reload();
    await owner.getByRole('button', { name: `View ticket: ${PROBLEM}` }).click();
    await expect.poll(() => detail.textContent(), { timeout: 15_000 }).toContain(ANSWER);
    expect(await detail.textContent()).toContain('In progress');

    // Both status changes (answered, in progress) reached the owner by SMS and e-mail, with the answer in the mail.
    await delivered();
    const sms = smsc
      .messages()
      .filter((s) => s.destination.endsWith('13800138000') && s.text.includes('售后工单'))
      .map((s) => /状态：(\S+?)，/.exec(s.text)?.[1]);
    expect(sms.sort()).toEqual(['处理中', '客服已回复']); // delivered in any order
    const email = await ownerEmail();
    const mails = smtp.mails.filter((mail) => mail.to.includes(email) && mail.subject.includes('售后工单'));
    expect(mails.map((mail) => mail.subject.split('：')[1]).sort()).toEqual(['处理中', '客服已回复']);
    expect(mails.find((mail) => mail.subject.endsWith('客服已回复'))?.text).toContain(`客服回复：${ANSWER}`);
  }, 240_000);
});
