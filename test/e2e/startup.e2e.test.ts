// Start-up (Chromium): the composer comes first. Its own calls (the profiles, accounts and drafts,
// then the latest draft) are made before the other screens' lists are asked for, and those lists
// still load without their screens being opened. Every other screen's code is a chunk of its own,
// none of it in what index.html loads, fetched once the page is idle.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Draft } from '../../src-preload/contract';
import { launchApp } from '../harness/app';

const otherScreensLists = ['history.page', 'outbox.page', 'approvals.list', 'postingSlots.list'];
const laterScreens = ['ApprovalsView', 'QueueView', 'CalendarView', 'AccountsView', 'HistoryView', 'SettingsView'];

async function until(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('start-up (Chromium)', () => {
  it('opens the latest draft before asking for the other screens\' lists, then loads them', async () => {
    const app = await launchApp();
    try {
      const { page } = app;
      await page.getByRole('heading', { name: 'Write a post' }).waitFor();
      // A draft written in an earlier run, the latest: the next start opens it.
      const call = async (method: string, input: unknown) => {
        const result = await app.core.dispatch(method, input, page.url());
        assert.ok(result.ok, `${method}: ${JSON.stringify(result)}`);
        return result.value;
      };
      const draft = (await call('drafts.create', {})) as Draft;
      await call('drafts.save', { id: draft.id, text: 'Words from yesterday', targetAccountIds: [], langs: ['en'] });

      const before = app.bridgeCalls.length;
      await page.reload();
      await until(async () => (await page.getByLabel('Post text').inputValue().catch(() => '')) === 'Words from yesterday', 'the latest draft in the composer');
      const calls = () => app.bridgeCalls.slice(before);
      await until(() => otherScreensLists.every((method) => calls().includes(method)), 'the other screens\' lists');
      const opened = calls().indexOf('drafts.get');
      assert.ok(opened >= 0, `the draft was opened: ${calls().join(', ')}`);
      for (const method of otherScreensLists) {
        assert.ok(calls().indexOf(method) > opened, `${method} asked for after the draft was opened: ${calls().join(', ')}`);
      }
    } finally {
      await app.close();
    }
  });

  it('fetches each other screen\'s code once idle, none of it with the first script', async () => {
    const app = await launchApp();
    try {
      const { page } = app;
      const requested: string[] = [];
      page.on('request', (request) => requested.push(new URL(request.url()).pathname));
      await page.reload();
      await page.getByRole('heading', { name: 'Write a post' }).waitFor();
      const firstScript = await (await fetch(new URL('/index.html', page.url()))).text();
      for (const screen of laterScreens) {
        assert.doesNotMatch(firstScript, new RegExp(`/${screen}-`), `index.html loads ${screen}`);
      }
      await until(() => laterScreens.every((screen) => requested.some((path) => path.includes(`/${screen}-`))), 'every screen\'s chunk');
    } finally {
      await app.close();
    }
  });
});
