// The Calendar through the real UI in Chromium, against the Discord contract mock: posts scheduled
// in the composer appear on their day and hour; a real drag moves one to another day and hour and
// the core has the new time; Alt and the arrow keys do the same from the keyboard; a move into the
// past is refused and shown; a click opens a post (a sent one with its accounts, a scheduled one
// with the Queue's actions); posting slots are set and "Add to queue" fills the next one. Week and
// month views are photographed in both themes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import type { Locator, Page } from 'playwright-core';
import type { Post } from '../../src-preload/contract';
import { launchApp, openConnectForm, type LaunchedApp } from '../harness/app';
import { seriousViolations } from '../harness/axe';
import { discordWebhookUrl, startWebhookPlatformMocks, type WebhookPlatformMocks } from '../harness/webhookPlatformMocks';

const screenshots = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-results');
fs.mkdirSync(screenshots, { recursive: true });

// The harness's system zone (app.info), which the calendar reads days in.
const zone = 'Europe/Berlin';

let hooks: WebhookPlatformMocks;
before(async () => {
  hooks = await startWebhookPlatformMocks();
});
after(() => hooks.close());

const openApps = new Set<LaunchedApp>();
afterEach(async () => {
  for (const app of openApps) {
    await app.page.screenshot({ path: path.join(screenshots, `failure-calendar-${Date.now()}.png`), fullPage: true }).catch(() => {});
    await app.close();
  }
  openApps.clear();
});

/** What axe found serious or critical on the screens photographed. */
const axeFindings: string[] = [];

/** A screenshot (and an axe audit) once colour transitions (120 ms on buttons) have settled. */
async function shoot(page: Page, name: string) {
  await new Promise((resolve) => setTimeout(resolve, 300));
  await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });
  axeFindings.push(...(await seriousViolations(page, name)));
}

async function until(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function compose(page: Page, text: string) {
  await page.getByRole('button', { name: 'Compose', exact: true }).click();
  const box = page.getByRole('checkbox', { name: 'announcements', exact: true });
  if (!(await box.isChecked())) await box.check();
  await page.getByLabel('Post text').fill(text);
  await page.getByText('Saved', { exact: true }).waitFor();
}

async function schedule(page: Page, text: string, local: string) {
  await compose(page, text);
  await page.getByLabel('Date and time').fill(local);
  await page.getByRole('button', { name: 'Schedule', exact: true }).click();
  await page.getByRole('region', { name: 'Publish result' }).getByText('Scheduled for').waitFor();
}

async function postIn(app: LaunchedApp, text: string): Promise<Post> {
  const posts = await app.core.handlers['history.list']({});
  const post = posts.find((p) => p.text === text);
  assert.ok(post, `no post "${text}" in the core`);
  return post;
}

/** Whether the element has the keyboard focus (run in the page; this file has no DOM types). */
const focused = (locator: Locator) => locator.evaluate((el) => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement);

const chip = (page: Page, text: string) => page.locator('.calendar-chip', { hasText: text });
const cell = (page: Page, date: string, hour?: number) =>
  page.locator(hour === undefined ? `td.calendar-cell[data-date="${date}"]` : `td.calendar-cell[data-date="${date}"][data-hour="${hour}"]`);

async function chooseTheme(page: Page, label: 'Light' | 'Dark') {
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByRole('radio', { name: label, exact: true }).check();
}

describe('the calendar (Chromium)', () => {
  it('shows posts by day and hour, moves them by drag and by keyboard, opens them, and fills posting slots', async () => {
    const app = await launchApp({ env: hooks.env });
    openApps.add(app);
    const { page } = app;
    await openConnectForm(page, 'Discord');
    await page.getByLabel('Webhook URL', { exact: true }).fill(discordWebhookUrl);
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByText('announcements', { exact: true }).first().waitFor();

    // Next week, Monday to Sunday, in Berlin: every time in it is ahead of now.
    const monday = DateTime.now().setZone(zone).startOf('week').plus({ weeks: 1 });
    const dayOf = (offset: number) => monday.plus({ days: offset }).toFormat('yyyy-LL-dd');
    await schedule(page, 'Tuesday launch note', `${dayOf(1)}T10:00`);
    await schedule(page, 'Wednesday recap', `${dayOf(2)}T15:30`);
    // One sent now: it sits on today, with where it went.
    await compose(page, 'Sent right away');
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByRole('region', { name: 'Publish result' }).getByText('published', { exact: true }).first().waitFor();

    await page.getByRole('button', { name: 'Calendar', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Calendar' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Week', exact: true }).getAttribute('aria-pressed'), 'true');
    const today = DateTime.now().setZone(zone);
    const sentChip = cell(page, today.toFormat('yyyy-LL-dd'), today.hour).locator('.calendar-chip', { hasText: 'Sent right away' });
    await sentChip.waitFor();
    assert.equal(await sentChip.getAttribute('draggable'), 'false', 'a sent post stays where it is');

    // A sent post opens with its accounts and their outcome.
    await sentChip.click();
    const dialog = page.getByRole('dialog', { name: 'Post' });
    await dialog.getByText('Sent right away').waitFor();
    // Its time as the calendar reads it, in the system's zone.
    await dialog.getByText(`${zone}`, { exact: false }).waitFor();
    await dialog.locator('.target-result[data-status="published"]').getByText('announcements').waitFor();
    await shoot(page, 'calendar-sent-post-dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    // Closing gives the focus back to the chip.
    assert.equal(await focused(sentChip), true);

    await page.getByRole('button', { name: 'Next week', exact: true }).click();
    const tuesday = cell(page, dayOf(1), 10).locator('.calendar-chip', { hasText: 'Tuesday launch note' });
    await tuesday.waitFor();
    await cell(page, dayOf(2), 15).locator('.calendar-chip', { hasText: 'Wednesday recap' }).waitFor();
    assert.match((await tuesday.textContent()) ?? '', /10:00.*scheduled/);

    // A real drag (HTML drag and drop, pointer pressed, moved and released): Tuesday 10:00 to
    // Thursday 14:00, minutes kept. The core has the new wall time, in the zone it was set in.
    await tuesday.dragTo(cell(page, dayOf(3), 14));
    await cell(page, dayOf(3), 14).locator('.calendar-chip', { hasText: 'Tuesday launch note' }).waitFor();
    await until(async () => (await postIn(app, 'Tuesday launch note')).scheduleLocal === `${dayOf(3)}T14:00`, 'the core to reschedule the dragged post');
    const dragged = await postIn(app, 'Tuesday launch note');
    assert.equal(dragged.scheduleZone, zone);
    assert.equal(dragged.scheduledAt, DateTime.fromISO(`${dayOf(3)}T14:00`, { zone }).toMillis());
    await page.getByRole('status').filter({ hasText: `moved to ${dayOf(3)} 14:00 ${zone}` }).waitFor();

    // The keyboard: Alt+→ a day later, Alt+↓ an hour later; the chip keeps the focus as it moves.
    const recap = chip(page, 'Wednesday recap');
    await recap.focus();
    await page.keyboard.press('Alt+ArrowRight');
    await until(async () => (await postIn(app, 'Wednesday recap')).scheduleLocal === `${dayOf(3)}T15:30`, 'Alt+ArrowRight to move the post a day');
    await cell(page, dayOf(3), 15).locator('.calendar-chip', { hasText: 'Wednesday recap' }).waitFor();
    await until(() => focused(recap), 'the moved chip to keep the focus');
    await page.keyboard.press('Alt+ArrowDown');
    await until(async () => (await postIn(app, 'Wednesday recap')).scheduleLocal === `${dayOf(3)}T16:30`, 'Alt+ArrowDown to move the post an hour');
    await cell(page, dayOf(3), 16).locator('.calendar-chip', { hasText: 'Wednesday recap' }).waitFor();

    // A scheduled post opens with the Queue's actions: Reschedule from the dialog.
    await chip(page, 'Wednesday recap').click();
    const planned = page.getByRole('dialog', { name: 'Planned post' });
    await planned.getByRole('button', { name: 'Reschedule' }).click();
    const form = planned.getByRole('form', { name: 'Reschedule' });
    assert.equal(await form.getByLabel('Date and time').inputValue(), `${dayOf(3)}T16:30`);
    await form.getByLabel('Date and time').fill(`${dayOf(4)}T11:45`);
    await form.getByRole('button', { name: 'Save new time' }).click();
    await until(async () => (await postIn(app, 'Wednesday recap')).scheduleLocal === `${dayOf(4)}T11:45`, 'the dialog to reschedule');
    await form.waitFor({ state: 'detached' });
    await planned.getByRole('button', { name: 'Close post', exact: true }).click();
    await cell(page, dayOf(4), 11).locator('.calendar-chip', { hasText: 'Wednesday recap' }).waitFor();

    // Posting slots: Add to queue is off without them, and says where they are set.
    await compose(page, 'Queued into a slot');
    const addToQueue = page.getByRole('button', { name: 'Add to queue', exact: true });
    assert.equal(await addToQueue.isDisabled(), true);
    await page.getByText('None of the chosen accounts has posting slots.').waitFor();
    await page.getByRole('button', { name: 'Set posting slots' }).click();
    const slotsHeading = page.getByRole('heading', { name: 'Posting slots' });
    await until(() => focused(slotsHeading), 'the slots heading to take the focus');
    const slotsForm = page.getByRole('form', { name: 'Add a posting slot for announcements' });
    await slotsForm.getByLabel('Day').selectOption({ label: 'Every weekday (Monday to Friday)' });
    await slotsForm.getByLabel('Time').fill('09:00');
    await slotsForm.getByRole('button', { name: 'Add slot' }).click();
    const slotList = page.getByRole('list', { name: 'Posting slots of announcements' });
    await slotList.getByText('Friday 09:00').waitFor();
    assert.equal(await slotList.getByRole('listitem').count(), 5);
    const accountId = (await app.core.handlers['accounts.list']({}))[0]!.id;
    assert.deepEqual(await app.core.handlers['postingSlots.list']({}), [
      { accountId, slots: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, time: '09:00' })) },
    ]);
    // Saturday 09:00 too, then removed again by its own button.
    await slotsForm.getByLabel('Day').selectOption({ label: 'Saturday' });
    await slotsForm.getByRole('button', { name: 'Add slot' }).click();
    await slotList.getByText('Saturday 09:00').waitFor();
    await page.getByRole('button', { name: 'Remove Saturday 09:00 from announcements' }).click();
    await slotList.getByText('Saturday 09:00').waitFor({ state: 'detached' });
    // The same slot twice is the core's to refuse, with its code.
    await slotsForm.getByLabel('Day').selectOption({ label: 'Monday' });
    await slotsForm.getByRole('button', { name: 'Add slot' }).click();
    await page.getByRole('alert').filter({ hasText: 'posting_slots.invalid' }).waitFor();
    // Open slots show in the week, where no post is.
    await page.locator('.calendar-open-slot', { hasText: 'open slot for announcements' }).first().waitFor();
    assert.equal(await cell(page, dayOf(0), 9).locator('.calendar-open-slot').count(), 1);

    await page.getByRole('button', { name: 'Compose', exact: true }).click();
    await page.getByLabel('Post text').waitFor();
    assert.equal(await page.getByLabel('Post text').inputValue(), 'Queued into a slot');
    assert.equal(await addToQueue.isDisabled(), false);
    await addToQueue.click();
    await page.getByRole('region', { name: 'Publish result' }).getByText('Scheduled for').waitFor();
    // The next weekday 09:00 in Berlin after now.
    let expected = DateTime.now().setZone(zone).startOf('day').set({ hour: 9 });
    while (expected.toMillis() <= Date.now() || expected.weekday > 5) expected = expected.plus({ days: 1 }).set({ hour: 9 });
    const queued = await postIn(app, 'Queued into a slot');
    assert.equal(queued.scheduleLocal, expected.toFormat("yyyy-LL-dd'T'HH:mm"));
    assert.equal(queued.scheduleZone, zone);

    // Screenshots: week and month, light and dark. The calendar is still on next week.
    await page.getByRole('button', { name: 'Calendar', exact: true }).click();
    await cell(page, dayOf(3), 14).locator('.calendar-chip', { hasText: 'Tuesday launch note' }).waitFor();
    await shoot(page, 'calendar-week-light');
    await page.getByRole('button', { name: 'Month', exact: true }).click();
    await cell(page, dayOf(3)).locator('.calendar-chip', { hasText: 'Tuesday launch note' }).waitFor();
    await shoot(page, 'calendar-month-light');
    // A month view's drop keeps the time of day: Thursday 14:00 to the Tuesday, 14:00.
    await chip(page, 'Tuesday launch note').dragTo(cell(page, dayOf(1)));
    await until(async () => (await postIn(app, 'Tuesday launch note')).scheduleLocal === `${dayOf(1)}T14:00`, 'the month drop to keep the time');
    await cell(page, dayOf(1)).locator('.calendar-chip', { hasText: 'Tuesday launch note' }).waitFor();
    // In a month, Alt+↓ is a week later and Alt+↑ a week earlier; the focus stays on the chip.
    await chip(page, 'Tuesday launch note').focus();
    await page.keyboard.press('Alt+ArrowDown');
    await until(async () => (await postIn(app, 'Tuesday launch note')).scheduleLocal === `${dayOf(8)}T14:00`, 'Alt+ArrowDown to move the post a week');
    await cell(page, dayOf(8)).locator('.calendar-chip', { hasText: 'Tuesday launch note' }).waitFor();
    await until(() => focused(chip(page, 'Tuesday launch note')), 'the chip to keep the focus a week later');
    await page.keyboard.press('Alt+ArrowUp');
    await until(async () => (await postIn(app, 'Tuesday launch note')).scheduleLocal === `${dayOf(1)}T14:00`, 'Alt+ArrowUp to move the post back');
    await cell(page, dayOf(1)).locator('.calendar-chip', { hasText: 'Tuesday launch note' }).waitFor();

    await chooseTheme(page, 'Dark');
    await page.getByRole('button', { name: 'Calendar', exact: true }).click();
    await chip(page, 'Tuesday launch note').waitFor();
    await shoot(page, 'calendar-month-dark');
    await page.getByRole('button', { name: 'Week', exact: true }).click();
    await chip(page, 'Tuesday launch note').waitFor();
    await shoot(page, 'calendar-week-dark');
    await chip(page, 'Tuesday launch note').click();
    await page.getByRole('dialog', { name: 'Planned post' }).waitFor();
    await shoot(page, 'calendar-planned-post-dialog-dark');
    assert.deepEqual(axeFindings, [], `axe found serious or critical violations:\n${axeFindings.join('\n')}`);
    await page.keyboard.press('Escape');

    // Into the past is refused: the core's clock moves a month on (the page's does not), and a
    // drag to next week's Friday is now before the core's now. The post keeps its time.
    app.advanceClock(30 * 86_400_000);
    await chip(page, 'Tuesday launch note').dragTo(cell(page, dayOf(4), 12));
    await page.getByRole('alert').filter({ hasText: 'has already passed' }).filter({ hasText: 'invalid_input' }).waitFor();
    assert.equal((await postIn(app, 'Tuesday launch note')).scheduleLocal, `${dayOf(1)}T14:00`);
    await cell(page, dayOf(1), 14).locator('.calendar-chip', { hasText: 'Tuesday launch note' }).waitFor();

    await app.close();
    openApps.delete(app);
  });
});
