// The outbox through the real UI in Chromium, against a real PDS, the Mastodon contract mock and
// the Discord mock: scheduling in a chosen time zone, the Queue's actions (cancel, edit,
// reschedule), a missed time answered (publish now, skip), Retry failed sending only the failed
// target, a lost answer settled by the user, and a post queued offline going out when the network
// comes back, with the window title's count. When exactly a schedule falls due is the core's
// integration tests' business; here the Queue showing the right time and zone is what a person
// checks, and the harness's clock only jumps past a time to make it missed.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { connectAnyway, launchApp, type LaunchedApp, openConnectForm } from '../harness/app';
import { startMastodonServer, type MastodonServer } from '../harness/mastodonServer';
import { playBrowser } from '../harness/oauthServer';
import { startPds, type TestPds } from '../harness/pds';
import { discordWebhookUrl, startWebhookPlatformMocks, type WebhookPlatformMocks } from '../harness/webhookPlatformMocks';

const screenshots = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-results');
fs.mkdirSync(screenshots, { recursive: true });

let pds: TestPds;
let alice: Awaited<ReturnType<TestPds['createAccount']>>;
let instance: MastodonServer;
let hooks: WebhookPlatformMocks;

before(async () => {
  pds = await startPds();
  alice = await pds.createAccount('alice');
  instance = await startMastodonServer();
  hooks = await startWebhookPlatformMocks();
});
after(async () => {
  await pds.close();
  await instance.close();
  await hooks.close();
});

// An app still open when a test fails is photographed and closed, so a failure cannot leave a
// browser holding the test process open.
const openApps = new Set<LaunchedApp>();
afterEach(async () => {
  for (const app of openApps) {
    await app.page.screenshot({ path: path.join(screenshots, `failure-outbox-${Date.now()}.png`), fullPage: true }).catch(() => {});
    await app.close();
  }
});

async function open(): Promise<LaunchedApp> {
  const app = await launchApp({ env: { ...instance.env, ...hooks.env } });
  openApps.add(app);
  const close = app.close;
  app.close = async () => {
    openApps.delete(app);
    await close();
  };
  return app;
}

const shoot = (page: Page, name: string) => page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });

async function until(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function connectBluesky(page: Page) {
  await openConnectForm(page, 'Bluesky');
  await page.getByLabel('Handle').fill(alice.handle);
  await page.getByLabel('App password').fill(alice.appPassword);
  await page.getByLabel('Hosting provider').fill(pds.url);
  await page.getByRole('button', { name: 'Connect' }).click();
  await connectAnyway(page);
  await page.getByText(`@${alice.handle}`).first().waitFor();
}

async function connectMastodon(app: LaunchedApp) {
  const { page } = app;
  await openConnectForm(page, 'Mastodon');
  await page.getByLabel('Instance', { exact: true }).fill('social.example');
  const opened = app.openedUrls.length;
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await connectAnyway(page);
  await until(() => app.openedUrls.length > opened, 'the consent page');
  await playBrowser(app.openedUrls[opened]!);
  await page.getByText('Connected as Alice (@alice@social.example) on social.example.').waitFor();
}

async function connectDiscord(page: Page) {
  await openConnectForm(page, 'Discord');
  await page.getByLabel('Webhook URL', { exact: true }).fill(discordWebhookUrl);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await page.getByText('announcements', { exact: true }).first().waitFor();
}

/** Compose with these accounts ticked and this text, saved. */
async function compose(page: Page, text: string, targets: string[]) {
  await page.getByRole('button', { name: 'Compose', exact: true }).click();
  for (const label of targets) {
    const box = page.getByRole('checkbox', { name: label, exact: true });
    if (!(await box.isChecked())) await box.check();
  }
  await page.getByLabel('Post text').fill(text);
  await page.getByText('Saved', { exact: true }).waitFor();
}

/** How the page itself writes an instant in a zone: what the Queue must show. */
function inZone(page: Page, epochMs: number, zone: string): Promise<string> {
  return page.evaluate(
    ([at, tz]) => `${new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone: tz }).format(at)} ${tz}`,
    [epochMs, zone] as const,
  );
}

/** `YYYY-MM-DDTHH:mm` on the wall in `zone`: what a datetime-local input holds. */
function wallTime(epochMs: number, zone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
      .formatToParts(epochMs)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

const queueItem = (page: Page, text: string) => page.getByRole('region', { name: 'Queue' }).locator('.queue-post', { hasText: text });
const historyItem = (page: Page, text: string) => page.getByRole('region', { name: 'History' }).locator('.history-post', { hasText: text });
const sentToPds = async (text: string) => (await pds.listPosts(alice.did)).filter((p) => p.value.text === text).length;

describe('the outbox (Chromium)', () => {
  it('schedules in a chosen zone; the Queue shows time and zone, reschedules, cancels, and edits back into the composer', async () => {
    const app = await open();
    const { page } = app;
    await connectBluesky(page);

    // A time already past is refused by the core, shown as its error, and the draft stays.
    await compose(page, 'Too late for this', [`@${alice.handle}`]);
    await page.getByLabel('Date and time').fill('2020-01-01T09:00');
    await page.getByRole('button', { name: 'Schedule', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'invalid_input' }).waitFor();
    assert.equal(await page.getByLabel('Post text').inputValue(), 'Too late for this');

    // The zone starts at the system's (app.info; Europe/Berlin in the harness) and can be changed.
    const zone = page.getByLabel('Time zone');
    assert.equal(await zone.inputValue(), 'Europe/Berlin');
    await page.getByLabel('Post text').fill('Good morning, New York');
    await page.getByText('Saved', { exact: true }).waitFor();
    await page.getByLabel('Date and time').fill('2030-06-03T09:00');
    await zone.selectOption('America/New_York');
    await shoot(page, 'outbox-composer-schedule');
    await page.getByRole('button', { name: 'Schedule', exact: true }).click();
    // 09:00 in New York on 3 June 2030 is 13:00 UTC (daylight time, UTC−4).
    const newYorkAt = Date.UTC(2030, 5, 3, 13, 0);
    const result = page.getByRole('region', { name: 'Publish result' });
    await result.getByText(`Scheduled for ${await inZone(page, newYorkAt, 'America/New_York')}.`).waitFor();
    // The composer moved on to a new draft; the chosen zone stays for the next one.
    assert.equal(await page.getByLabel('Post text').inputValue(), '');
    assert.equal(await page.getByLabel('Date and time').inputValue(), '');
    assert.equal(await zone.inputValue(), 'America/New_York');
    await shoot(page, 'outbox-scheduled-result');

    await compose(page, 'Evening note', [`@${alice.handle}`]);
    await page.getByLabel('Date and time').fill('2030-06-04T18:30');
    await zone.selectOption('Europe/Berlin');
    await page.getByRole('button', { name: 'Schedule', exact: true }).click();
    await result.getByText('Scheduled for').waitFor();
    await until(async () => (await page.title()) === 'Localpost (2 waiting)', 'the window title to count 2');

    await page.getByRole('button', { name: 'Queue', exact: true }).click();
    const morning = queueItem(page, 'Good morning, New York');
    await morning.getByText(await inZone(page, newYorkAt, 'America/New_York')).waitFor();
    assert.equal(await morning.locator('time').getAttribute('datetime'), new Date(newYorkAt).toISOString());
    await morning.getByText('scheduled', { exact: true }).waitFor();
    // Scheduled in another zone than the system's: the system's reading is shown too.
    await morning.getByText(await inZone(page, newYorkAt, 'Europe/Berlin')).waitFor();
    // 18:30 in Berlin on 4 June 2030 is 16:30 UTC (summer time, UTC+2).
    const evening = queueItem(page, 'Evening note');
    await evening.getByText(await inZone(page, Date.UTC(2030, 5, 4, 16, 30), 'Europe/Berlin')).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Queue', exact: true }).getAttribute('aria-describedby'), 'queue-waiting');
    await shoot(page, 'outbox-queue-scheduled');

    // Reschedule: to a past time is refused in place; to 08:15 in Tokyo is kept.
    await evening.getByRole('button', { name: 'Reschedule' }).click();
    const form = evening.getByRole('form', { name: 'Reschedule' });
    assert.equal(await form.getByLabel('Date and time').inputValue(), '2030-06-04T18:30');
    assert.equal(await form.getByLabel('Time zone').inputValue(), 'Europe/Berlin');
    await form.getByLabel('Date and time').fill('2021-06-04T18:30');
    await form.getByRole('button', { name: 'Save new time' }).click();
    await evening.getByRole('alert').filter({ hasText: 'invalid_input' }).waitFor();
    await form.getByLabel('Date and time').fill('2030-06-05T08:15');
    await form.getByLabel('Time zone').selectOption('Asia/Tokyo');
    await shoot(page, 'outbox-queue-reschedule');
    await form.getByRole('button', { name: 'Save new time' }).click();
    // 08:15 in Tokyo (UTC+9, no daylight time) is 23:15 UTC the day before.
    await evening.getByText(await inZone(page, Date.UTC(2030, 5, 4, 23, 15), 'Asia/Tokyo')).waitFor();
    await form.waitFor({ state: 'detached' });
    assert.equal(await evening.getByRole('alert').count(), 0);

    // Cancel asks first, then the post leaves the Queue and History keeps it as cancelled.
    await morning.getByRole('button', { name: 'Cancel', exact: true }).click();
    await morning.getByRole('group', { name: 'Cancel this post?' }).waitFor();
    await morning.getByRole('button', { name: 'Cancel post' }).click();
    await morning.waitFor({ state: 'detached' });
    await until(async () => (await page.title()) === 'Localpost (1 waiting)', 'the window title to count 1');

    // Edit: the post goes back to the drafts and opens in the composer.
    await evening.getByRole('button', { name: 'Edit', exact: true }).click();
    await page.getByRole('heading', { name: 'Write a post' }).waitFor();
    assert.equal(await page.getByLabel('Post text').inputValue(), 'Evening note');
    assert.equal(await page.getByRole('checkbox', { name: `@${alice.handle}`, exact: true }).isChecked(), true);
    await page.getByRole('region', { name: 'Drafts' }).getByText('Evening note').waitFor();
    await until(async () => (await page.title()) === 'Localpost', 'the window title without a count');
    await shoot(page, 'outbox-edited-back');

    await page.getByRole('button', { name: 'Queue', exact: true }).click();
    await page.getByText('Nothing waiting').waitFor();
    await page.getByRole('button', { name: 'History', exact: true }).click();
    const cancelled = historyItem(page, 'Good morning, New York');
    await cancelled.getByText('cancelled', { exact: true }).waitFor();
    await cancelled.getByText(`was scheduled for ${await inZone(page, newYorkAt, 'America/New_York')}`).waitFor();
    assert.equal(await historyItem(page, 'Evening note').count(), 0);
    assert.equal(await sentToPds('Good morning, New York'), 0);

    // The missed-schedule choice is a setting, saved with the others.
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const group = page.getByRole('group', { name: 'Missed schedules' });
    assert.equal(await group.getByLabel('Ask me').isChecked(), true);
    await group.getByLabel('Skip').check();
    await until(async () => (await app.core.handlers['settings.get']({})).missedSchedule === 'skip', 'the setting to be saved');
    await shoot(page, 'outbox-settings');
    await app.close();
  });

  it('a schedule missed while Localpost was "closed" asks: Publish now sends it, Skip cancels the other', async () => {
    const app = await open();
    const { page } = app;
    await connectBluesky(page);
    // An hour from now, on the wall in Berlin (the harness's system zone).
    const inAnHour = wallTime(Date.now() + 60 * 60_000, 'Europe/Berlin');
    for (const text of ['Missed but wanted', 'Missed and not wanted']) {
      await compose(page, text, [`@${alice.handle}`]);
      await page.getByLabel('Date and time').fill(inAnHour);
      await page.getByRole('button', { name: 'Schedule', exact: true }).click();
      await page.getByRole('region', { name: 'Publish result' }).getByText('Scheduled for').waitFor();
    }
    // Three hours pass while the app is "closed"; the default answer to a missed time is Ask me.
    app.advanceClock(3 * 60 * 60_000);
    app.core.outbox.wake();

    await page.getByRole('button', { name: 'Queue', exact: true }).click();
    const wanted = queueItem(page, 'Missed but wanted');
    const unwanted = queueItem(page, 'Missed and not wanted');
    await wanted.getByText('missed', { exact: true }).waitFor();
    await unwanted.getByText('missed', { exact: true }).waitFor();
    await wanted.getByText('Was due').waitFor();
    await shoot(page, 'outbox-queue-missed');
    assert.equal(await sentToPds('Missed but wanted'), 0);

    await wanted.getByRole('group', { name: 'Missed schedule' }).getByRole('button', { name: 'Publish now' }).click();
    await wanted.waitFor({ state: 'detached' });
    await unwanted.getByRole('group', { name: 'Missed schedule' }).getByRole('button', { name: 'Skip' }).click();
    await unwanted.waitFor({ state: 'detached' });
    await page.getByText('Nothing waiting').waitFor();
    await until(async () => (await sentToPds('Missed but wanted')) === 1, 'the wanted post on the PDS');
    assert.equal(await sentToPds('Missed and not wanted'), 0);

    await page.getByRole('button', { name: 'History', exact: true }).click();
    await historyItem(page, 'Missed but wanted').getByText('published', { exact: true }).waitFor();
    await historyItem(page, 'Missed and not wanted').getByText('cancelled', { exact: true }).waitFor();
    await app.close();
  });

  it('a failed Mastodon target is retried alone from History; the Bluesky post is not sent twice', async () => {
    const app = await open();
    const { page } = app;
    await connectBluesky(page);
    await connectMastodon(app);
    const text = 'Rejected once, then accepted';
    await compose(page, text, [`@${alice.handle}`, '@alice@social.example']);
    // The instance refuses the next status, once (the fault is gone after it).
    instance.injectFault('/api/v1/statuses', { status: 422, body: { error: 'Validation failed: Text is spam' }, times: 1 });
    await page.getByRole('button', { name: 'Publish' }).click();
    const result = page.getByRole('region', { name: 'Publish result' });
    await result.getByText('Published to 1 of 2 accounts. 1 failed.').waitFor();
    const mastodonLine = result.locator('.target-result', { hasText: '@alice@social.example' });
    await mastodonLine.getByText('failed_permanent', { exact: true }).waitFor();
    await mastodonLine.getByText('platform_rejected', { exact: true }).waitFor();
    // The stale advice to retry from the draft is gone: the composer is on a new draft.
    assert.equal(await page.getByText('The draft is still open').count(), 0);
    assert.equal(await page.getByLabel('Post text').inputValue(), '');
    await shoot(page, 'outbox-partial-result');

    await page.getByRole('button', { name: 'History', exact: true }).click();
    const post = historyItem(page, text);
    await post.locator('.target-result', { hasText: '@alice@social.example' }).getByText('failed_permanent').waitFor();
    await shoot(page, 'outbox-history-failed');
    await post.getByRole('button', { name: 'Retry failed' }).click();
    await post.locator('.target-result', { hasText: '@alice@social.example' }).getByText('published', { exact: true }).waitFor();
    await post.getByRole('button', { name: 'Retry failed' }).waitFor({ state: 'detached' });
    await shoot(page, 'outbox-history-retried');

    assert.equal(await sentToPds(text), 1, 'Bluesky got it once');
    assert.equal(instance.statuses.filter((s) => s.status === text).length, 1, 'Mastodon got it once');
    // The composer's result followed the post.
    await page.getByRole('button', { name: 'Compose', exact: true }).click();
    await result.getByText('Published to both accounts.').waitFor();
    await app.close();
  });

  it('a Discord answer lost on the way is unknown; the user says it was posted', async () => {
    const app = await open();
    const { page } = app;
    await connectDiscord(page);
    const text = 'Did this reach Discord?';
    await compose(page, text, ['announcements']);
    const discordPosts = () => hooks.requests.filter((r) => r.platform === 'discord' && r.method === 'POST' && JSON.stringify(r.body).includes(text)).length;
    hooks.loseNextAnswer('discord');
    await page.getByRole('button', { name: 'Publish' }).click();
    const result = page.getByRole('region', { name: 'Publish result' });
    await result.getByText('unknown', { exact: true }).waitFor();
    await result.getByText('Not sure it was published: it needs you in the Queue.').waitFor();
    await shoot(page, 'outbox-unknown-result');

    await result.getByRole('button', { name: 'Open queue' }).click();
    const item = queueItem(page, text);
    await item.getByText('needs_attention', { exact: true }).waitFor();
    const question = item.getByRole('group', { name: 'Did the post reach announcements?' });
    // What Localpost knows, in one sentence, with the two choices.
    await question.getByText(/Could not reach .*The post may have reached Discord anyway/).waitFor();
    await question.getByRole('button', { name: 'Send again' }).waitFor();
    await shoot(page, 'outbox-queue-unknown');
    assert.equal(discordPosts(), 1);

    await question.getByRole('button', { name: 'It was posted' }).click();
    await item.waitFor({ state: 'detached' });
    await page.getByText('Nothing waiting').waitFor();
    await page.getByRole('button', { name: 'History', exact: true }).click();
    const line = historyItem(page, text).locator('.target-result');
    await line.getByText('published', { exact: true }).waitFor();
    await line.getByText('Posted (Discord gives no link)').waitFor();
    assert.equal(discordPosts(), 1, 'nothing sent it again');
    await app.close();
  });

  it("a Mastodon rate limit spent: the next post waits in the Queue saying until when, then goes out without a refusal", async () => {
    instance.setStatusRateLimit(1, 5000);
    try {
      const app = await open();
      const { page } = app;
      await connectMastodon(app);
      await compose(page, 'The last one this window allows', ['@alice@social.example']);
      await page.getByRole('button', { name: 'Publish' }).click();
      const result = page.getByRole('region', { name: 'Publish result' });
      await result.getByText('Published.').waitFor();

      const text = 'One more, after the reset';
      await compose(page, text, ['@alice@social.example']);
      await page.getByRole('button', { name: 'Publish' }).click();
      await result.getByText('Queued. It goes out by itself as soon as it can.').waitFor();
      await page.getByRole('button', { name: 'Queue', exact: true }).click();
      const item = queueItem(page, text);
      await item.getByText(/Held by Mastodon's rate limit until \d/).waitFor();
      await item.getByText('rate_limited', { exact: true }).waitFor();
      await shoot(page, 'outbox-queue-rate-limited');
      assert.equal(instance.statuses.filter((s) => s.status === text).length, 0);

      await item.waitFor({ state: 'detached', timeout: 15_000 });
      assert.equal(instance.statuses.filter((s) => s.status === text).length, 1);
      assert.equal(instance.rateLimitedStatuses, 0, 'the instance never had to refuse it');
      await app.close();
    } finally {
      instance.setStatusRateLimit(300, 3 * 60 * 60 * 1000);
    }
  });

  it('offline, Publish waits in the Queue, goes out when the network is back, and the title count goes back', async () => {
    const app = await open();
    const { page } = app;
    await connectBluesky(page);
    const text = 'Written on a train';
    await compose(page, text, [`@${alice.handle}`]);
    // The OS says offline to both sides, as it does in Electron: the core's network port, and
    // Chromium's navigator.onLine.
    app.setOnline(false);
    await page.context().setOffline(true);
    await page.getByRole('button', { name: 'Publish' }).click();
    const result = page.getByRole('region', { name: 'Publish result' });
    await result.getByText('Queued. It goes out by itself as soon as it can.').waitFor();
    await result.getByText('Waits for the network.').waitFor();
    await until(async () => (await page.title()) === 'Localpost (1 waiting)', 'the window title to count 1');
    await shoot(page, 'outbox-offline-result');

    await page.getByRole('button', { name: 'Queue', exact: true }).click();
    const item = queueItem(page, text);
    await item.getByText('sending', { exact: true }).waitFor();
    await item.getByText('queued', { exact: true }).waitFor();
    await item.getByText('Waits for the network.').waitFor();
    assert.equal(await page.locator('.nav-count').textContent(), '1');
    await shoot(page, 'outbox-queue-offline');
    assert.equal(await sentToPds(text), 0);

    await page.context().setOffline(false);
    app.setOnline(true);
    await item.waitFor({ state: 'detached' });
    await page.getByText('Nothing waiting').waitFor();
    await until(async () => (await page.title()) === 'Localpost', 'the window title without a count');
    assert.equal(await page.locator('.nav-count').count(), 0);
    assert.equal(await sentToPds(text), 1);
    // The publish result stayed live: it says published now.
    await page.getByRole('button', { name: 'Compose', exact: true }).click();
    await result.getByText('Published.').waitFor();
    await result.getByText('published', { exact: true }).waitFor();
    await app.close();
  });
});
