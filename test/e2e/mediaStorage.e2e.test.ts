// Settings → Media storage through the real UI in Chromium, against the real core and a real S3
// server (s3rver behind a SigV4-checking front): the bucket filled in, tested step by step with a
// wrong secret and then the right one, saved with the secret never shown back, and removed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { launchApp, type LaunchedApp } from '../harness/app';
import { startS3Server, type S3Server } from '../harness/s3Server';
import { filesUnder, secretsInFile } from '../harness/secretScan';

describe('Media storage (Chromium)', () => {
  let s3: S3Server;
  let app: LaunchedApp;
  let page: Page;
  let section: Locator;
  before(async () => {
    s3 = await startS3Server();
    app = await launchApp();
    page = app.page;
    // Tall enough for the whole section in one screenshot.
    await page.setViewportSize({ width: 900, height: 2400 });
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    section = page.locator('section', { has: page.getByRole('heading', { name: 'Media storage' }) });
    await section.getByRole('heading', { name: 'Media storage' }).waitFor();
  });
  after(async () => {
    await app.close();
    await s3.close();
  });
  const shoot = (name: string) => section.screenshot({ path: `/tmp/${name}.png` });

  it('says why it exists, tests the bucket as filled in, and shows each step', async () => {
    await section.getByText('Instagram and Threads fetch photos and videos from a public address').waitFor();
    assert.equal(await section.getByRole('button', { name: 'Test this bucket' }).isDisabled(), true, 'nothing to test while the form is empty');
    await shoot('media-storage-empty');

    await section.getByLabel('Endpoint').fill(s3.endpoint);
    await section.getByLabel('Region').fill(s3.region);
    await section.getByLabel('Bucket').fill(s3.bucket);
    await section.getByLabel('Access key ID').fill(s3.accessKeyId);
    await section.getByLabel('Secret access key').fill('a-wrong-secret-0123456789');
    await section.getByRole('button', { name: 'Test this bucket' }).click();
    const steps = section.getByRole('list', { name: 'Test steps' });
    await steps.getByText('SignatureDoesNotMatch').waitFor();
    assert.deepEqual(await steps.locator('.badge').allTextContents(), ['failed', 'skipped', 'skipped']);
    await shoot('media-storage-rejected');

    await section.getByLabel('Secret access key').fill(s3.secretAccessKey);
    await section.getByRole('button', { name: 'Test this bucket' }).click();
    await section.getByText('The bucket takes, serves and deletes files.').waitFor();
    assert.deepEqual(await steps.locator('.badge').allTextContents(), ['ok', 'ok', 'ok']);
    assert.deepEqual(await s3.keys(), [], 'the test object was deleted');
    await shoot('media-storage-tested');
  });

  it('saves the bucket, keeps the secret without showing it, and forgets it', async () => {
    await section.getByRole('button', { name: 'Save bucket' }).click();
    await section.getByText('Saved.', { exact: true }).waitFor();
    await section.getByText('A secret access key is saved.').waitFor();
    assert.equal(await section.getByLabel('Secret access key').inputValue(), '');
    // The saved secret is what a test uses when none is typed.
    await section.getByRole('button', { name: 'Test this bucket' }).click();
    await section.getByText('The bucket takes, serves and deletes files.').waitFor();
    await shoot('media-storage-saved');

    assert.ok(!(app.bridgeTraffic.join('\n') + (await page.content())).includes(s3.secretAccessKey), 'the secret reached the renderer');
    for (const file of filesUnder(app.dataDir)) assert.deepEqual(secretsInFile(file, [s3.secretAccessKey]), [], file);

    await section.getByRole('button', { name: 'Forget this bucket' }).click();
    await section.getByText('Forgotten.', { exact: false }).waitFor();
    assert.equal(await section.getByLabel('Endpoint').inputValue(), '');
    assert.equal(await section.getByRole('button', { name: 'Forget this bucket' }).count(), 0);
  });
});
