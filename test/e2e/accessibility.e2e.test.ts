// An automated accessibility audit of every main screen in Chromium, in both themes: axe-core
// (Deque's WCAG rules engine) runs in the page, and no serious or critical violation may be left.
// The theme is reached both ways a user has: the system's prefers-color-scheme with Settings on
// "Same as the system", and Settings → Appearance choosing against what the system says. Keyboard
// focus is checked by hand, as axe does not: the ring must show and keep 3:1 against its background
// (WCAG 2.2 SC 1.4.11 and 2.4.7).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { launchApp, openConnectForm, type LaunchedApp } from '../harness/app';
import { seriousViolations } from '../harness/axe';
import { discordWebhookUrl, startWebhookPlatformMocks, type WebhookPlatformMocks } from '../harness/webhookPlatformMocks';
import { smallPng } from '../fixtures/images';

const screenshots = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-results');
fs.mkdirSync(screenshots, { recursive: true });

type Theme = 'light' | 'dark';
const themeBackground: Record<Theme, string> = { light: 'rgb(245, 246, 248)', dark: 'rgb(19, 21, 24)' };

let mocks: WebhookPlatformMocks;
before(async () => {
  mocks = await startWebhookPlatformMocks();
});
after(() => mocks.close());

const openApps = new Set<LaunchedApp>();
afterEach(async () => {
  for (const app of openApps) {
    await app.page.screenshot({ path: path.join(screenshots, `accessibility-failure-${Date.now()}.png`), fullPage: true }).catch(() => {});
    await app.close();
  }
  openApps.clear();
});

async function show(page: Page, section: string): Promise<void> {
  await page.getByRole('button', { name: section, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: section === 'Compose' ? 'Write a post' : section, exact: true }).waitFor();
}

/** Every main screen, as a user moves through them; the violations found on any of them. */
async function auditEveryScreen(page: Page, theme: Theme): Promise<string[]> {
  const found: string[] = [];
  for (const section of ['Compose', 'Approvals', 'Queue', 'Calendar', 'History', 'Accounts', 'Settings']) {
    await show(page, section);
    assert.equal(await bodyBackground(page), themeBackground[theme], `${section} is not ${theme}`);
    found.push(...(await seriousViolations(page, `${section} (${theme})`)));
  }
  await show(page, 'Accounts');
  await page.getByRole('button', { name: 'Add account' }).click();
  await page.getByRole('button', { name: 'Discord', exact: true }).waitFor();
  found.push(...(await seriousViolations(page, `Add account (${theme})`)));
  // A tile's button is its name; the ring goes round the whole tile, the button's click area.
  await page.getByRole('button', { name: 'Bluesky', exact: true }).focus();
  await page.keyboard.press('Tab');
  const tile = await page.evaluate<{ style: string; colour: string; background: string }>(
    `(() => { const tile = document.activeElement.closest('li'); const style = getComputedStyle(tile);
      return { style: style.outlineStyle, colour: style.outlineColor, background: getComputedStyle(tile.closest('.card')).backgroundColor }; })()`,
  );
  assert.equal(tile.style, 'solid', `the focused platform tile shows no ring (${theme})`);
  assert.ok(contrast(tile.colour, tile.background) >= 3, `the platform tile's ring ${tile.colour} on ${tile.background} (${theme})`);
  await page.screenshot({ path: path.join(screenshots, `accessibility-add-account-${theme}.png`) });
  await page.getByRole('button', { name: 'Discord', exact: true }).click();
  await page.getByLabel('Webhook URL', { exact: true }).waitFor();
  found.push(...(await seriousViolations(page, `Connect Discord (${theme})`)));
  // The keyboard shortcuts' help sheet, a modal dialog over whatever screen is up.
  await page.keyboard.press('Control+/');
  await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
  found.push(...(await seriousViolations(page, `Keyboard shortcuts (${theme})`)));
  await page.keyboard.press('Escape');
  await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor({ state: 'hidden' });
  return found;
}

async function chooseTheme(page: Page, label: 'Same as the system' | 'Light' | 'Dark'): Promise<void> {
  await show(page, 'Settings');
  await page.getByRole('radio', { name: label, exact: true }).check();
}

async function themeKept(app: LaunchedApp, theme: Theme): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if ((await app.core.handlers['settings.get']({})).theme === theme) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  assert.fail(`the core did not keep the ${theme} theme`);
}

/** The WCAG 2.2 contrast ratio of two opaque sRGB colours given as computed rgb() strings. */
function contrast(a: string, b: string): number {
  const luminance = (colour: string) => {
    const [r, g, bl] = colour.match(/[\d.]+/g)!.slice(0, 3).map((c) => {
      const s = Number(c) / 255;
      return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

function bodyBackground(page: Page): Promise<string> {
  return page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
}

interface FocusRing {
  what: string;
  visible: boolean;
  style: string;
  width: number;
  colour: string;
  background: string;
}

// Run in the page (this file is type-checked without the DOM's types, hence a string): the focused
// control's outline, and what it is drawn over, the nearest painted background around the control.
const readFocusRing = `(() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const style = getComputedStyle(element);
  let behind = element.parentElement;
  let background = 'rgb(255, 255, 255)';
  while (behind) {
    const colour = getComputedStyle(behind).backgroundColor;
    if (colour !== 'rgba(0, 0, 0, 0)' && colour !== 'transparent') {
      background = colour;
      break;
    }
    behind = behind.parentElement;
  }
  return {
    what: element.tagName.toLowerCase() + ' "' + (element.getAttribute('aria-label') ?? element.textContent ?? '').trim().slice(0, 40) + '"',
    visible: element.matches(':focus-visible'),
    style: style.outlineStyle,
    width: parseFloat(style.outlineWidth),
    colour: style.outlineColor,
    background,
  };
})()`;

/** Tabs through the first few controls; each must show a ring of 2px or more at 3:1 or better. */
async function assertFocusVisible(page: Page, theme: Theme): Promise<void> {
  await show(page, 'Settings');
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  for (let step = 0; step < 8; step++) {
    await page.keyboard.press('Tab');
    const ring = await page.evaluate<FocusRing | null>(readFocusRing);
    assert.ok(ring, 'Tab reached nothing');
    assert.ok(ring.visible, `${ring.what} does not match :focus-visible (${theme})`);
    assert.equal(ring.style, 'solid', `${ring.what} shows no outline (${theme})`);
    assert.ok(ring.width >= 2, `${ring.what}: the ring is ${ring.width}px (${theme})`);
    const ratio = contrast(ring.colour, ring.background);
    assert.ok(ratio >= 3, `${ring.what}: the ring ${ring.colour} on ${ring.background} is ${ratio.toFixed(2)}:1 (${theme})`);
  }
}

describe('accessibility (Chromium, axe-core)', () => {
  it('every main screen passes axe in both themes, by the system setting and by the user’s choice, with a visible focus ring', async () => {
    const app = await launchApp({ env: mocks.env });
    openApps.add(app);
    const { page } = app;

    // Content on the screens, not only their empty states: an account, a post in History, one in
    // the Queue, a draft.
    await openConnectForm(page, 'Discord');
    await page.getByLabel('Webhook URL', { exact: true }).fill(discordWebhookUrl);
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByText('announcements', { exact: true }).first().waitFor();
    await show(page, 'Compose');
    const target = page.getByRole('checkbox', { name: 'announcements', exact: true });
    if (!(await target.isChecked())) await target.check();
    await page.getByLabel('Post text').fill('Hello from the accessibility audit');
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByRole('region', { name: 'Publish result' }).getByText('published', { exact: true }).waitFor();
    await show(page, 'Compose');
    await page.getByLabel('Post text').fill('Scheduled, so the Queue has a post');
    await page.getByText('Saved', { exact: true }).waitFor();
    await page.getByLabel('Date and time').fill('2030-06-03T09:00');
    await page.getByRole('button', { name: 'Schedule', exact: true }).click();
    await page.getByRole('region', { name: 'Publish result' }).getByText('Scheduled for').waitFor();
    await page.getByLabel('Post text').fill('A draft, with a counter and a target');
    // Two images pasted into it, so the audit sees the image strip with its order controls.
    const pngs = await Promise.all([smallPng(64, 48), smallPng(80, 48)]);
    await page.evaluate(`(() => {
      const transfer = new DataTransfer();
      for (const base64 of ${JSON.stringify(pngs.map((png) => png.toString('base64')))}) {
        transfer.items.add(new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], 'image.png', { type: 'image/png' }));
      }
      document.querySelector('#post-text').dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }));
    })()`);
    await page.getByRole('button', { name: 'Move image 1 later' }).waitFor();
    // Compose is audited with the post's preview showing (its every platform: previewGallery.e2e).
    await page.getByRole('region', { name: 'Preview' }).getByRole('tabpanel').getByText('A draft, with a counter and a target').waitFor();

    const found: string[] = [];
    // Same as the system (the default), the system light and then dark.
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      found.push(...(await auditEveryScreen(page, theme)));
      await assertFocusVisible(page, theme);
    }
    await show(page, 'Compose');
    await page.screenshot({ path: path.join(screenshots, 'accessibility-compose-dark.png'), fullPage: true });
    await show(page, 'Settings');
    await page.screenshot({ path: path.join(screenshots, 'accessibility-settings-dark.png') });

    // The user's choice wins over the system's, either way, and is kept by the core.
    await chooseTheme(page, 'Dark');
    await page.emulateMedia({ colorScheme: 'light' });
    assert.equal(await page.evaluate<string | undefined>('document.documentElement.dataset.theme'), 'dark');
    await themeKept(app, 'dark');
    found.push(...(await auditEveryScreen(page, 'dark')));
    await chooseTheme(page, 'Light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await themeKept(app, 'light');
    found.push(...(await auditEveryScreen(page, 'light')));
    await assertFocusVisible(page, 'light');
    await chooseTheme(page, 'Same as the system');
    assert.equal(await bodyBackground(page), themeBackground.dark);

    assert.deepEqual(found, [], `axe found serious or critical violations:\n${found.join('\n')}`);
  });

  it('the unlock screen already wears the theme the user chose, and passes axe', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-a11y-'));
    // A key store that protects nothing: the user then protects the vault with a passphrase.
    const env = { ...mocks.env, LOCALPOST_TEST_KEYRING_BACKEND: 'basic_text' };
    const first = await launchApp({ dataDir, env });
    openApps.add(first);
    await chooseTheme(first.page, 'Dark');
    const section = first.page.getByRole('region', { name: 'Sign-in storage' });
    await section.getByLabel('Passphrase', { exact: true }).fill('a passphrase for the audit');
    await section.getByLabel('Type it again').fill('a passphrase for the audit');
    await section.getByRole('button', { name: 'Use a passphrase' }).click();
    await section.getByRole('button', { name: 'Change the passphrase' }).waitFor();
    openApps.delete(first);
    await first.close();

    const app = await launchApp({ dataDir, env });
    openApps.add(app);
    await app.page.emulateMedia({ colorScheme: 'light' });
    await app.page.getByRole('button', { name: 'Unlock' }).waitFor();
    assert.equal(await bodyBackground(app.page), themeBackground.dark);
    assert.deepEqual(await seriousViolations(app.page, 'Unlock (dark)'), []);
    await app.page.screenshot({ path: path.join(screenshots, 'accessibility-unlock-dark.png') });
  });
});
