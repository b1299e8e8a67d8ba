// Discord, Slack and Telegram through the real UI, against their contract mocks: each connect
// form with its own field names, one counter per target in that platform's units, a fan-out
// publish, and secrets never shown back.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { launchApp, openConnectForm } from '../harness/app';
import {
  discordWebhook,
  discordWebhookUrl,
  slackWebhookUrl,
  startWebhookPlatformMocks,
  telegramBotToken,
  telegramChat,
  type WebhookPlatformMocks,
} from '../harness/webhookPlatformMocks';

const screenshots = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-results');
fs.mkdirSync(screenshots, { recursive: true });

let mocks: WebhookPlatformMocks;
before(async () => {
  mocks = await startWebhookPlatformMocks();
});
after(() => mocks.close());

async function addAccount(page: Page, platform: string, fields: Record<string, string>, shownAs: string) {
  await openConnectForm(page, platform);
  for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).fill(value);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await page.getByText(shownAs, { exact: true }).first().waitFor();
}

describe('webhook and bot platforms (Chromium)', () => {
  it('connects Discord, Slack and Telegram, counts per platform, and publishes to all three', async () => {
    const app = await launchApp({ env: mocks.env });
    const { page } = app;
    try {
      await addAccount(page, 'Discord', { 'Webhook URL': discordWebhookUrl }, 'announcements');
      await addAccount(page, 'Slack', { 'Webhook URL': slackWebhookUrl, 'Channel name': '#general' }, '#general');
      await addAccount(page, 'Telegram', { 'Bot token': telegramBotToken, 'Chat ID': `@${telegramChat.username}` }, telegramChat.title);
      await page.screenshot({ path: path.join(screenshots, 'accounts-four-platforms.png'), fullPage: true });
      const html = await page.content();
      for (const secret of [discordWebhook.token, telegramBotToken, new URL(slackWebhookUrl).pathname]) {
        assert.ok(!html.includes(secret), 'a secret is shown back');
      }

      await page.getByRole('button', { name: 'Compose', exact: true }).click();
      for (const label of ['announcements', '#general', telegramChat.title]) {
        const box = page.getByRole('checkbox', { name: label, exact: true });
        if (!(await box.isChecked())) await box.check();
      }
      await page.getByLabel('Post text').fill('Hello, three platforms');
      for (const counter of ['22 / 2000', '22 / 40000', '22 / 4096']) await page.getByText(counter).waitFor();
      await page.screenshot({ path: path.join(screenshots, 'composer-three-platforms.png'), fullPage: true });
      await page.getByRole('button', { name: 'Publish' }).click();
      const result = page.getByRole('region', { name: 'Publish result' });
      await result.getByText('Posted (Slack gives no link)').waitFor();
      assert.equal(await result.getByText('published', { exact: true }).count(), 3);
      const posted = mocks.requests.filter((r) => r.method === 'POST' && JSON.stringify(r.body).includes('Hello, three platforms'));
      assert.deepEqual(posted.map((r) => r.platform).sort(), ['discord', 'slack', 'telegram']);
    } finally {
      await app.close();
    }
  });

  it('a wrong Discord URL is refused in an alert and what was typed stays', async () => {
    const app = await launchApp({ env: mocks.env });
    const { page } = app;
    try {
      await openConnectForm(page, 'Discord');
      await page.getByLabel('Webhook URL', { exact: true }).fill('https://example.com/not-a-webhook');
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      await page.getByRole('alert').filter({ hasText: 'invalid_input' }).waitFor();
      assert.equal(await page.getByLabel('Webhook URL', { exact: true }).inputValue(), 'https://example.com/not-a-webhook');
    } finally {
      await app.close();
    }
  });
});
