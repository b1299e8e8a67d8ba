// The harness itself: a page request to anything outside the app fails the test (close() throws
// with the list) instead of being aborted in silence.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { launchApp } from '../harness/app';

describe('launchApp', () => {
  it('fails close() with every request the page made outside the app', async () => {
    const app = await launchApp();
    // A navigation: the CSP stops fetches and images before they leave, but not this.
    await app.page.evaluate(() => {
      (globalThis as unknown as { location: { href: string } }).location.href = 'https://example.com/tracker';
    });
    await app.page.waitForEvent('requestfailed');
    assert.deepEqual(app.outsideRequests, ['https://example.com/tracker']);
    await assert.rejects(app.close(), /The page requested addresses outside the app:\nhttps:\/\/example\.com\/tracker/);
  });

  it('closes quietly when the page stayed inside the app', async () => {
    const app = await launchApp();
    await app.page.getByRole('button', { name: 'Accounts', exact: true }).click();
    await app.close();
    assert.deepEqual(app.outsideRequests, []);
  });
});
