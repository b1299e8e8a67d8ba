// Through the real UI in Chromium, against the real core and a real PDS: what a person does.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { connectAnyway, launchApp, type LaunchedApp, openConnectForm } from '../harness/app';
import { emailCode, startBlueskyContractMock } from '../harness/blueskyContractMock';
import { startPds, type TestPds } from '../harness/pds';
import { filesUnder, jwtShape } from '../harness/secretScan';
import { smallPng } from '../fixtures/images';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const screenshots = path.join(repoRoot, 'test-results');
fs.mkdirSync(screenshots, { recursive: true });

let pds: TestPds;
let alice: Awaited<ReturnType<TestPds['createAccount']>>;
let bob: Awaited<ReturnType<TestPds['createAccount']>>;
// Everything the renderer received in every test, and every data folder used, for the secret scan.
const allTraffic: string[] = [];
const dataDirs = new Set<string>();

before(async () => {
  pds = await startPds();
  alice = await pds.createAccount('alice');
  bob = await pds.createAccount('bob');
});
after(() => pds.close());

// Apps still open when a test fails are closed after it, so a failure cannot leave a browser
// holding the test process open.
const openApps = new Set<LaunchedApp>();
afterEach(async () => {
  for (const app of openApps) {
    await fs.promises.mkdir(screenshots, { recursive: true });
    await app.page.screenshot({ path: path.join(screenshots, `failure-${Date.now()}.png`), fullPage: true }).catch(() => {});
    await app.close();
  }
});

async function open(options: Parameters<typeof launchApp>[0] = {}): Promise<LaunchedApp> {
  const app = await launchApp(options);
  dataDirs.add(app.dataDir);
  openApps.add(app);
  const close = app.close;
  app.close = async () => {
    openApps.delete(app);
    allTraffic.push(...app.bridgeTraffic);
    await close();
  };
  return app;
}

async function until(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function connectInUi(page: Page, who: { handle: string; appPassword: string }) {
  await openConnectForm(page, 'Bluesky');
  await page.getByLabel('Handle').fill(who.handle);
  await page.getByLabel('App password').fill(who.appPassword);
  await page.getByLabel('Hosting provider').fill(pds.url);
  await page.getByRole('button', { name: 'Connect' }).click();
  await connectAnyway(page);
  await page.getByText(`@${who.handle}`).first().waitFor();
}

/** Opens Compose with the account ticked as a target. */
async function composeFor(page: Page, who: { handle: string }) {
  await page.getByRole('button', { name: 'Compose', exact: true }).click();
  const box = page.getByRole('checkbox', { name: `@${who.handle}` });
  if (!(await box.isChecked())) await box.check();
}

describe('connect, compose, publish, history (Chromium)', () => {
  let dataDir: string;

  it('connects two accounts, publishes to both, and shows both in History', async () => {
    const app = await open();
    dataDir = app.dataDir;
    const { page } = app;
    await connectInUi(page, alice);
    await connectInUi(page, bob);
    await page.screenshot({ path: path.join(screenshots, 'accounts.png'), fullPage: true });

    await page.getByRole('button', { name: 'Compose', exact: true }).click();
    const text = page.getByLabel('Post text');
    await text.fill(`Hello from Localpost @${bob.handle} #localfirst`);
    for (const who of [alice, bob]) {
      const box = page.getByRole('checkbox', { name: `@${who.handle}` });
      if (!(await box.isChecked())) await box.check();
    }
    await page.getByRole('button', { name: 'Publish' }).click();
    const result = page.getByRole('region', { name: 'Publish result' });
    await result.getByText(`@${alice.handle}`).waitFor();
    await result.getByText(`@${bob.handle}`).waitFor();
    await page.screenshot({ path: path.join(screenshots, 'published.png'), fullPage: true });

    await page.getByRole('button', { name: 'History', exact: true }).click();
    const history = page.getByRole('region', { name: 'History' });
    await history.getByText(`@${alice.handle}`).first().waitFor();
    await history.getByText(`@${bob.handle}`).first().waitFor();
    await page.screenshot({ path: path.join(screenshots, 'history.png'), fullPage: true });
    assert.equal((await pds.listPosts(alice.did)).length, 1);
    assert.equal((await pds.listPosts(bob.did)).length, 1);
    await app.close();
  });

  it('a relaunch with the same data folder shows the same accounts and history', async () => {
    const app = await open({ dataDir });
    const { page } = app;
    await page.getByRole('button', { name: 'Accounts', exact: true }).click();
    await page.getByText(`@${alice.handle}`).first().waitFor();
    await page.getByText(`@${bob.handle}`).first().waitFor();
    await page.getByRole('button', { name: 'History', exact: true }).click();
    await page.getByRole('region', { name: 'History' }).getByText('Hello from Localpost').first().waitFor();
    await app.close();
  });
});

describe('errors keep what was typed (Chromium)', () => {
  it('a wrong app password shows invalid_credentials in an alert and keeps the fields', async () => {
    const app = await open();
    const { page } = app;
    await openConnectForm(page, 'Bluesky');
    await page.getByLabel('Handle').fill(`@${alice.handle}`);
    await page.getByLabel('App password').fill('wrong-pass-word-here');
    await page.getByLabel('Hosting provider').fill(pds.url);
    // Not the app-password shape: a warning, not a refusal.
    await page.getByText(/doesn.t look like an app password|does not look like an app password/i).waitFor();
    await page.getByRole('button', { name: 'Connect' }).click();
    await connectAnyway(page);
    await page.getByRole('alert').filter({ hasText: 'invalid_credentials' }).waitFor();
    await page.screenshot({ path: path.join(screenshots, 'connect-error.png'), fullPage: true });
    assert.equal(await page.getByLabel('Handle').inputValue(), `@${alice.handle}`);
    assert.equal(await page.getByLabel('App password').inputValue(), 'wrong-pass-word-here');
    assert.equal(await page.getByLabel('Hosting provider').inputValue(), pds.url);

    await page.getByLabel('Handle').fill('alice');
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByRole('alert').filter({ hasText: 'invalid_handle' }).waitFor();
    await app.close();
  });

  it('over 300 characters, the counter shows length.max and Publish is refused', async () => {
    const app = await open();
    const { page } = app;
    await connectInUi(page, alice);
    await composeFor(page, alice);
    await page.getByLabel('Post text').fill('x'.repeat(300));
    await page.getByText('300 / 300').waitFor();
    assert.equal(await page.getByText('length.max').count(), 0);
    await page.getByLabel('Post text').fill('x'.repeat(301));
    await page.getByText('301 / 300').waitFor();
    await page.getByText('length.max').first().waitFor();
    // Refused: the button is disabled while preflight reports an issue.
    assert.equal(await page.getByRole('button', { name: 'Publish' }).isDisabled(), true);
    await page.screenshot({ path: path.join(screenshots, 'over-limit.png'), fullPage: true });
    assert.equal((await pds.listPosts(alice.did)).filter((p) => p.value.text.length > 300).length, 0);
    await app.close();
  });

  it('offline, Publish queues the post, and it goes out when the network is back', async () => {
    const app = await open();
    const { page } = app;
    await connectInUi(page, alice);
    await composeFor(page, alice);
    await page.getByLabel('Post text').fill('Typed on a train');
    app.setOnline(false);
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByRole('region', { name: 'Publish result' }).getByText('queued', { exact: true }).waitFor();
    app.setOnline(true);
    await page.getByRole('button', { name: 'History', exact: true }).click();
    const history = page.getByRole('region', { name: 'History' });
    await history.locator('.target-result', { hasText: 'published' }).first().waitFor();
    assert.equal((await pds.listPosts(alice.did)).filter((p) => p.value.text === 'Typed on a train').length, 1);
    await app.close();
  });
});

describe('accounts over time (Chromium)', () => {
  it('Check connection finds a revoked app password; Reconnect keeps the account and its history', async () => {
    const app = await open();
    const { page } = app;
    const appPassword = await pds.createAppPassword(alice.handle, alice.password, 'e2e-revoke');
    await connectInUi(page, { handle: alice.handle, appPassword });
    await composeFor(page, alice);
    await page.getByLabel('Post text').fill('Before the revocation');
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByRole('region', { name: 'Publish result' }).getByText('published').first().waitFor();

    await pds.revokeAppPassword(alice.handle, alice.password, 'e2e-revoke');
    await page.getByRole('button', { name: 'Accounts', exact: true }).click();
    await page.getByRole('button', { name: 'Check connection' }).click();
    await page.getByText('needs_reauth').first().waitFor();
    await page.screenshot({ path: path.join(screenshots, 'needs-reauth.png'), fullPage: true });
    await page.getByRole('button', { name: 'Reconnect' }).click();
    assert.equal(await page.getByLabel('Handle').inputValue(), alice.handle);
    await page.getByLabel('App password').fill(alice.appPassword);
    await page.getByRole('button', { name: 'Connect' }).click();
    await connectAnyway(page);
    await page.getByText('connected', { exact: true }).first().waitFor();
    assert.equal((await app.core.handlers['accounts.list']({})).length, 1);
    await page.getByRole('button', { name: 'History', exact: true }).click();
    await page.getByRole('region', { name: 'History' }).getByText('Before the revocation').waitFor();
    await app.close();
  });

  it('asks for the email code when the server wants one, then connects', async () => {
    const mock = await startBlueskyContractMock();
    const app = await open({ env: mock.env });
    const { page } = app;
    try {
      await openConnectForm(page, 'Bluesky');
      await page.getByLabel('Handle').fill('email.test');
      await page.getByLabel('App password').fill('abcd-efgh-ijkl-mnop');
      await page.getByLabel('Hosting provider').fill(mock.url);
      await page.getByRole('button', { name: 'Connect' }).click();
      await connectAnyway(page);
      await page.getByRole('alert').filter({ hasText: 'auth_factor_required' }).waitFor();
      await page.getByLabel('Email code').fill(emailCode);
      await page.getByRole('button', { name: 'Connect' }).click();
      await page.getByText('@email.test').first().waitFor();
    } finally {
      await app.close();
      await mock.close();
    }
  });
});

describe('link cards (Chromium)', () => {
  it('shows the card for a link in the text, and removing it keeps it off the post', async () => {
    const pages = http.createServer((_request, response) =>
      response
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<html><head><meta property="og:title" content="A page worth sharing"><meta property="og:description" content="Its description"></head></html>'),
    );
    await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;
    const url = `${origin}/post`;
    // The page is this test's fixture on 127.0.0.1: exempt from the public-only rule.
    const app = await open({ allowPrivateAddressesFor: [origin] });
    const { page } = app;
    try {
      await connectInUi(page, alice);
      await composeFor(page, alice);
      await page.getByLabel('Post text').fill(`Look ${url}`);
      const card = page.getByRole('region', { name: 'Link card' });
      await card.getByText('A page worth sharing').waitFor();
      await page.screenshot({ path: path.join(screenshots, 'link-card.png'), fullPage: true });
      await card.getByRole('button', { name: 'Remove link card' }).click();
      await card.waitFor({ state: 'detached' });
      await page.getByRole('button', { name: 'Publish' }).click();
      await page.getByRole('region', { name: 'Publish result' }).getByText('published').first().waitFor();
      const posted = (await pds.listPosts(alice.did)).find((p) => p.value.text === `Look ${url}`);
      assert.equal(posted?.value.embed, undefined);
    } finally {
      await app.close();
      pages.close();
    }
  });
});

describe('a link to a non-public address (Chromium)', () => {
  it('gets no card and one quiet line saying why; the address never sees a request, in any spelling', async () => {
    // A page on this machine, on every loopback address (IPv4 and IPv6): a router's admin page or
    // a developer's server, as far as the app can tell.
    const requests: string[] = [];
    const internal = http.createServer((request, response) => {
      requests.push(request.url ?? '');
      response.writeHead(200, { 'content-type': 'text/html' }).end('<title>Router admin</title>');
    });
    await new Promise<void>((resolve) => internal.listen({ port: 0, host: '::', ipv6Only: false }, resolve));
    const port = (internal.address() as AddressInfo).port;
    const app = await open();
    const { page } = app;
    const refusals = () => app.bridgeTraffic.filter((message) => message.includes('"noPreview"')).length;
    try {
      await connectInUi(page, alice);
      await composeFor(page, alice);
      await page.getByLabel('Post text').fill(`Have a look http://127.0.0.1:${port}/admin`);
      const note = page.getByRole('status').filter({ hasText: 'No preview for this link.' });
      await note.waitFor();
      assert.match((await note.textContent()) ?? '', /127\.0\.0\.1 is an address on this computer, so Localpost does not fetch it\./);
      assert.equal(await note.getAttribute('data-code'), 'address_not_public');
      // Calm: no error alert, no card, nothing asked of the page.
      assert.equal(await page.getByRole('alert').count(), 0);
      assert.equal(await page.getByRole('region', { name: 'Link card' }).count(), 0);
      await page.screenshot({ path: path.join(screenshots, 'link-refused.png'), fullPage: true });

      // Every other way of writing this machine's address, typed as a user would.
      const spellings = ['127.1', '2130706433', '0x7f.0.0.1', '0177.0.0.1', '[::ffff:127.0.0.1]', '[::1]', '0.0.0.0', 'localhost', 'LOCALHOST.'];
      for (const host of spellings) {
        const before = refusals();
        await page.getByLabel('Post text').fill(`Have a look http://${host}:${port}/admin?${encodeURIComponent(host)}`);
        await until(async () => refusals() > before);
        await note.waitFor();
      }
      // Longer than the composer's pause before it looks at a link, and than any fetch would take.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.deepEqual(requests, [], 'a link to this machine was fetched');
      assert.equal(await page.getByRole('region', { name: 'Link card' }).count(), 0);
    } finally {
      await app.close();
      internal.close();
    }
  });
});

describe('images and alt text (Chromium)', () => {
  it('adds an image with alt text; require-alt-text blocks publishing without it', async () => {
    const app = await open();
    const { page } = app;
    await connectInUi(page, alice);
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByLabel('Require alt text').check();
    await composeFor(page, alice);
    await page.getByLabel('Post text').fill('A picture');
    const png = path.join(screenshots, 'fixture.png');
    fs.writeFileSync(png, await smallPng(300, 200));
    await page.getByLabel('Add image').setInputFiles(png);
    await page.getByLabel('Alt text for image 1').waitFor();
    await page.getByText('media.alt_text').first().waitFor();
    await page.getByLabel('Alt text for image 1').fill('A translucent blue rectangle');
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByRole('region', { name: 'Publish result' }).getByText(`@${alice.handle}`).waitFor();
    // The result shows the account as soon as the post is sending: the post itself is awaited at
    // the PDS (alice has earlier posts from other tests, so it is found by its text).
    let latest: Awaited<ReturnType<typeof pds.listPosts>>[number] | undefined;
    for (let i = 0; i < 200 && !latest; i++) {
      latest = (await pds.listPosts(alice.did)).find((p) => p.value.text === 'A picture');
      if (!latest) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok(latest, 'the post reached the PDS');
    assert.equal(latest.value.embed.images[0].alt, 'A translucent blue rectangle');
    await app.close();
  });
});

describe('drafts survive a crash (Chromium)', () => {
  it('a draft typed and then the harness process killed with SIGKILL is there on relaunch', async () => {
    const dataDir = fs.mkdtempSync(path.join(repoRoot, 'test-results', 'crash-'));
    dataDirs.add(dataDir);
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'test/e2e/fixtures/typeDraftAndWait.ts'), dataDir], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('typed')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`the typing process exited early (${code})`)));
    });
    // Half a second after the last keystroke, the draft must be on disk.
    await new Promise((resolve) => setTimeout(resolve, 600));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    const app = await open({ dataDir });
    const { page } = app;
    await page.getByRole('button', { name: 'Compose', exact: true }).click();
    await page.getByText('Words I must not lose').first().waitFor();
    await app.close();
  });
});

describe('the vault where the OS keyring protects nothing (Chromium)', () => {
  it('Settings says so plainly and offers a passphrase', async () => {
    const app = await open({ env: { LOCALPOST_TEST_KEYRING_BACKEND: 'basic_text' } });
    const { page } = app;
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByText(/basic_text/).first().waitFor();
    await page.screenshot({ path: path.join(screenshots, 'settings-basic-text.png'), fullPage: true });
    await page.getByLabel('Passphrase', { exact: true }).fill('a long passphrase');
    await page.getByLabel('Type it again').fill('a long passphrase');
    await page.getByRole('button', { name: 'Use a passphrase' }).click();
    await until(async () => (await app.core.handlers['vault.status']({})).protection === 'passphrase');
    await app.close();
    const status = await (await open({ dataDir: app.dataDir, env: { LOCALPOST_TEST_KEYRING_BACKEND: 'basic_text' } }));
    await status.page.getByRole('button', { name: 'Unlock' }).waitFor();
    await status.page.getByLabel('Passphrase').fill('not the passphrase');
    await status.page.getByRole('button', { name: 'Unlock' }).click();
    await status.page.getByRole('alert').filter({ hasText: 'vault_passphrase_wrong' }).waitFor();
    await status.page.getByLabel('Passphrase').fill('a long passphrase');
    await status.page.getByRole('button', { name: 'Unlock' }).click();
    await status.page.getByRole('button', { name: 'Compose', exact: true }).waitFor();
    await status.close();
  });
});

describe('secrets never leave the vault', () => {
  it('no app password or JWT in any file of the data folders, nor in anything the renderer received', () => {
    const secrets = [alice.appPassword, bob.appPassword, alice.password, bob.password];
    const files = [...dataDirs].flatMap(filesUnder);
    assert.ok(files.some((f) => f.endsWith('localpost.sqlite-wal') || f.endsWith('localpost.sqlite')), 'the database was scanned');
    assert.ok(files.some((f) => f.endsWith('localpost.log')), 'the log was scanned');
    for (const file of files) {
      const content = fs.readFileSync(file).toString('latin1');
      for (const secret of secrets) assert.ok(!content.includes(secret), `${secret} found in ${file}`);
      assert.ok(!jwtShape.test(content), `a JWT found in ${file}`);
    }
    assert.ok(allTraffic.length > 20, 'bridge traffic was recorded');
    for (const message of allTraffic) {
      for (const secret of secrets) assert.ok(!message.includes(secret), `${secret} crossed the bridge`);
      assert.ok(!jwtShape.test(message), `a JWT crossed the bridge: ${message.slice(0, 200)}`);
    }
  });
});
