// A locked OS key store through the real UI: the vault says it is locked and why, Try again opens
// it once the key store is back, and the account is still connected; forgetting the sign-ins
// takes a deliberate second step.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { launchApp, openConnectForm, type LaunchedApp } from '../harness/app';
import { discordWebhookUrl, startWebhookPlatformMocks, type WebhookPlatformMocks } from '../harness/webhookPlatformMocks';

const screenshots = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-results');
fs.mkdirSync(screenshots, { recursive: true });

let mocks: WebhookPlatformMocks;
before(async () => {
  mocks = await startWebhookPlatformMocks();
});
after(() => mocks.close());

const openApps = new Set<LaunchedApp>();
afterEach(async () => {
  for (const app of openApps) {
    await app.page.screenshot({ path: path.join(screenshots, `vault-failure-${Date.now()}.png`), fullPage: true }).catch(() => {});
    await app.close();
  }
  openApps.clear();
});

async function open(dataDir: string, keyStoreLocked: boolean, env: Record<string, string> = {}): Promise<LaunchedApp> {
  const app = await launchApp({ dataDir, env: { ...mocks.env, ...(keyStoreLocked ? { LOCALPOST_TEST_KEYRING_LOCKED: '1' } : {}), ...env } });
  openApps.add(app);
  return app;
}

async function close(app: LaunchedApp): Promise<void> {
  openApps.delete(app);
  await app.close();
}

/** A data folder with a Discord account connected through the UI, its webhook in the vault. */
async function dataDirWithDiscord(): Promise<string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-vault-e2e-'));
  const app = await open(dataDir, false);
  await openConnectForm(app.page, 'Discord');
  await app.page.getByLabel('Webhook URL', { exact: true }).fill(discordWebhookUrl);
  await app.page.getByRole('button', { name: 'Connect', exact: true }).click();
  await app.page.getByText('announcements', { exact: true }).first().waitFor();
  await close(app);
  return dataDir;
}

async function accountStatus(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Accounts', exact: true }).click();
  await page.getByText('announcements', { exact: true }).first().waitFor();
  return (await page.locator('.badge').first().textContent()) ?? '';
}

describe('a locked key store (Chromium)', () => {
  it('shows the locked vault with its reason, and Try again opens it once the key store is back', async () => {
    const dataDir = await dataDirWithDiscord();
    const app = await open(dataDir, true);
    const { page } = app;

    // Everywhere: a banner that says the sign-ins are locked, leading to Settings.
    await page.getByText('Your sign-ins are locked', { exact: true }).first().waitFor();
    await page.screenshot({ path: path.join(screenshots, 'vault-locked-banner.png'), fullPage: true });
    await page.getByRole('button', { name: 'Open sign-in storage' }).click();
    const section = page.getByRole('region', { name: 'Sign-in storage' });
    await section.getByText(/did not give Localpost the key to your sign-ins/).waitFor();
    await section.getByText(/Your sign-ins are kept/).waitFor();
    await page.screenshot({ path: path.join(screenshots, 'vault-locked-settings.png'), fullPage: true });

    // Still refusing: still locked, and it says so.
    await section.getByRole('button', { name: 'Try again' }).click();
    await section.getByText('Still locked: the key store refused again.').waitFor();

    // Forgetting needs a second step: the destructive button does nothing until FORGET is typed.
    await section.getByRole('button', { name: 'Forget my sign-ins…' }).click();
    const forget = section.getByRole('button', { name: 'Forget my sign-ins', exact: true });
    assert.equal(await forget.isDisabled(), true);
    assert.equal(await page.evaluate('document.activeElement && document.activeElement.id'), 'forget-confirm');
    await page.screenshot({ path: path.join(screenshots, 'vault-forget-confirm.png'), fullPage: true });
    await section.getByRole('button', { name: 'Keep them' }).click();

    // The keyring is unlocked: Try again opens every secret.
    app.keyStore.failing = false;
    await section.getByRole('button', { name: 'Try again' }).click();
    await section.getByText('Sign-ins are encrypted with a key the OS key store (gnome_libsecret) protects.').waitFor();
    assert.equal(await page.getByText('Your sign-ins are locked', { exact: true }).count(), 0);
    // Nothing on the screen still speaks of the locked vault (the X developer app read it while locked).
    await page.getByText('vault_locked').waitFor({ state: 'detached' });
    await page.screenshot({ path: path.join(screenshots, 'vault-unlocked-settings.png'), fullPage: true });

    assert.equal(await accountStatus(page), 'connected');
    const accounts = await app.core.dispatch('accounts.list', {}, page.url());
    assert.ok(accounts.ok && (accounts.value as Array<{ status: string }>).every((a) => a.status === 'connected'), JSON.stringify(accounts));
    await close(app);
  });

  it('forgets the sign-ins only after FORGET is typed, then asks to reconnect', async () => {
    const dataDir = await dataDirWithDiscord();
    const app = await open(dataDir, true);
    const { page } = app;
    await page.getByRole('button', { name: 'Open sign-in storage' }).click();
    const section = page.getByRole('region', { name: 'Sign-in storage' });
    await section.getByRole('button', { name: 'Forget my sign-ins…' }).click();
    await section.getByLabel('Type FORGET to confirm').fill('forget');
    assert.equal(await section.getByRole('button', { name: 'Forget my sign-ins', exact: true }).isDisabled(), true);
    await section.getByLabel('Type FORGET to confirm').fill('FORGET');
    app.keyStore.failing = false;
    await section.getByRole('button', { name: 'Forget my sign-ins', exact: true }).click();
    await section.getByText('Sign-ins are encrypted with a key the OS key store (gnome_libsecret) protects.').waitFor();
    assert.equal(await accountStatus(page), 'needs_reauth');
    await close(app);
  });

  it('after a switch to a key store that protects nothing, says so and offers a passphrase or this session only', async () => {
    const dataDir = await dataDirWithDiscord();
    // One launch with --password-store=basic: Electron's basic_text.
    const app = await open(dataDir, false, { LOCALPOST_TEST_KEYRING_BACKEND: 'basic_text' });
    const { page } = app;
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const section = page.getByRole('region', { name: 'Sign-in storage' });
    await section.getByText(/instead of gnome_libsecret, so your key was left as gnome_libsecret protects it and was not moved/).waitFor();
    await section.getByRole('button', { name: 'Use a passphrase' }).waitFor();
    await section.getByRole('button', { name: 'Keep sign-ins for this session only' }).waitFor();
    await page.screenshot({ path: path.join(screenshots, 'vault-backend-change-notice.png') });
    await section.screenshot({ path: path.join(screenshots, 'vault-backend-change-basic-text.png') });
    assert.equal(await accountStatus(page), 'connected');
    await close(app);
  });

  it('changing the passphrase asks for the current one', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-vault-e2e-'));
    const app = await open(dataDir, false, { LOCALPOST_TEST_KEYRING_BACKEND: 'basic_text' });
    const { page } = app;
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const section = page.getByRole('region', { name: 'Sign-in storage' });
    await section.getByLabel('Passphrase', { exact: true }).fill('the first passphrase');
    await section.getByLabel('Type it again').fill('the first passphrase');
    await section.getByRole('button', { name: 'Use a passphrase' }).click();

    await section.getByLabel('Current passphrase').fill('a wrong guess');
    await section.getByLabel('New passphrase').fill('the second passphrase');
    await section.getByLabel('Type it again').fill('the second passphrase');
    await section.getByRole('button', { name: 'Change the passphrase' }).click();
    await section.getByRole('alert').filter({ hasText: 'vault_passphrase_wrong' }).waitFor();
    await page.screenshot({ path: path.join(screenshots, 'vault-change-passphrase-refused.png'), fullPage: true });

    await section.getByLabel('Current passphrase').fill('the first passphrase');
    await section.getByRole('button', { name: 'Change the passphrase' }).click();
    await section.getByRole('alert').waitFor({ state: 'detached' });
    await close(app);

    const reopened = await open(dataDir, false, { LOCALPOST_TEST_KEYRING_BACKEND: 'basic_text' });
    // A way out for a forgotten passphrase, folded away and itself two steps deep.
    await reopened.page.getByText('Forgot your passphrase?').click();
    await reopened.page.getByRole('button', { name: 'Forget my sign-ins…' }).waitFor();
    await reopened.page.screenshot({ path: path.join(screenshots, 'vault-unlock-forgot.png') });
    await reopened.page.getByLabel('Passphrase').fill('the second passphrase');
    await reopened.page.getByRole('button', { name: 'Unlock' }).click();
    await reopened.page.getByRole('button', { name: 'Settings', exact: true }).waitFor();
    await close(reopened);
  });
});
