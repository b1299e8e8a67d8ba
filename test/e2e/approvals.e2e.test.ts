// The approval gate through the real UI in Chromium, against the real core, a real assistant
// session on the local endpoint and a real PDS: a request shows in Approvals with its count, goes
// out once when approved, never when rejected, cannot go out on an approval of older content, and
// shows hidden characters and link addresses; Settings → AI assistants gives each client its
// configuration, writes it only on a click, and turns an assistant off.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { connectToLocalpost, type LocalpostClient } from '../../src-cli/localpostClient';
import { AppError } from '../../src-main/core/errors';
import { startLocalEndpoint, type LocalEndpoint } from '../../src-main/core/localEndpoint/localEndpoint';
import { launchApp, type LaunchedApp } from '../harness/app';
import { startPds, type TestPds } from '../harness/pds';
import { smallPng } from '../fixtures/images';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const screenshots = path.join(repoRoot, 'test-results');
fs.mkdirSync(screenshots, { recursive: true });
const shoot = (page: Page, name: string) => page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });

const localpostCommand = { command: '/opt/Localpost/localpost', args: ['mcp'] };
let pds: TestPds;
let alice: Awaited<ReturnType<TestPds['createAccount']>>;
let app: LaunchedApp;
let page: Page;
let endpoint: LocalEndpoint;
let assistant: LocalpostClient;
let accountId: string;
let home: string;

before(async () => {
  pds = await startPds();
  alice = await pds.createAccount('alice');
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-home-'));
  app = await launchApp({ userFolders: { home, platform: 'linux' }, localpostCommand });
  page = app.page;
  endpoint = await startLocalEndpoint({ dataDir: app.dataDir, handlers: app.core.handlers, log: app.core.log, aiClients: app.core.aiClients, appVersion: 'test' });
  accountId = (await app.core.handlers['accounts.connect']({ platform: 'bluesky', handle: alice.handle, appPassword: alice.appPassword, service: pds.url, confirm: ['private_address'] })).account.id;
  assistant = await connectToLocalpost({ dataDir: app.dataDir, client: { name: 'Claude Desktop', version: '1.0' }, kind: 'assistant' });
});
after(async () => {
  assistant?.close();
  await endpoint?.close();
  await app?.close();
  await pds?.close();
  fs.rmSync(home, { recursive: true, force: true });
});

async function until(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const onPds = async (text: string) => (await pds.listPosts(alice.did)).filter((post) => post.value.text === text).length;

/** The assistant drafts the text for Alice and asks to publish it, as `localpost mcp` would. */
async function assistantAsks(text: string): Promise<{ draftId: string; approvalId: string }> {
  const draft = await assistant.call('drafts.create', {});
  await assistant.call('drafts.save', { id: draft.id, text, targetAccountIds: [accountId], langs: ['en'] });
  const asked = await assistant.call('approvals.request', { draftId: draft.id, clientName: 'ignored: the session names the assistant' });
  return { draftId: draft.id, approvalId: asked.id };
}

const navCount = () => page.locator('.nav-count[data-view="approvals"]');
const waitingCard = (text: string) => page.getByRole('list', { name: 'Waiting requests' }).getByRole('listitem').filter({ hasText: text }).first();
const decidedCard = (text: string) => page.getByRole('list', { name: 'Decided requests' }).getByRole('listitem').filter({ hasText: text }).first();

async function openApprovals(): Promise<void> {
  await page.getByRole('button', { name: 'Approvals', exact: true }).click();
  await page.getByRole('heading', { name: 'Approvals', level: 1 }).waitFor();
}

describe('Approvals', () => {
  it('a request shows at once with its count; Approve publishes it exactly once', async () => {
    await assistantAsks('Approved in the window');
    // The count arrives with `approvals.changed`, on whatever screen the user is.
    await until(async () => (await navCount().count()) === 1 && (await navCount().textContent()) === '1', 'the Approvals count');
    assert.equal(await page.getByRole('button', { name: 'Approvals', exact: true }).getAttribute('aria-describedby'), 'approvals-waiting');
    assert.equal(await page.title(), 'Localpost (1 to approve)');
    await openApprovals();
    const card = waitingCard('Approved in the window');
    await card.getByText('Claude Desktop').waitFor();
    await card.getByText('asks to publish now').waitFor();
    await card.getByText(`Bluesky · @${alice.handle}`).waitFor();
    await shoot(page, 'approvals-waiting');
    assert.equal(await onPds('Approved in the window'), 0, 'nothing leaves before the user approves');

    await card.getByRole('button', { name: 'Approve and publish' }).click();
    await decidedCard('Approved in the window').getByText('approved', { exact: true }).waitFor();
    await until(async () => (await onPds('Approved in the window')) === 1, 'the post on the PDS');
    await until(async () => (await navCount().count()) === 0, 'the count to go');
    await app.core.outbox.idle();
    assert.equal(await onPds('Approved in the window'), 1, 'published exactly once');
  });

  it('a request to schedule shows its time and zone, and approved it waits in the Queue for that time', async () => {
    const draft = await assistant.call('drafts.create', {});
    await assistant.call('drafts.save', { id: draft.id, text: 'Scheduled by request', targetAccountIds: [accountId], langs: ['en'] });
    await assistant.call('approvals.request', { draftId: draft.id, schedule: { local: '2031-06-01T09:30', zone: 'Europe/Paris' }, clientName: '' });
    const card = waitingCard('Scheduled by request');
    await card.getByText('asks to schedule').waitFor();
    await card.getByText('2031-06-01 09:30').waitFor();
    await card.getByText('Europe/Paris').waitFor();
    await card.getByRole('button', { name: 'Approve and schedule' }).click();
    await decidedCard('Scheduled by request').getByText('approved', { exact: true }).waitFor();
    const [post] = (await app.core.handlers['outbox.list']({})).filter((p) => p.text === 'Scheduled by request');
    assert.equal(post!.phase, 'scheduled');
    assert.equal(await onPds('Scheduled by request'), 0);
  });

  it('Reject never sends', async () => {
    await assistantAsks('Rejected in the window');
    await waitingCard('Rejected in the window').getByRole('button', { name: 'Reject' }).click();
    await decidedCard('Rejected in the window').getByText('rejected', { exact: true }).waitFor();
    await app.core.outbox.idle();
    assert.equal(await onPds('Rejected in the window'), 0);
    const [decided] = (await app.core.handlers['approvals.list']({})).filter((a) => a.text === 'Rejected in the window');
    assert.equal(decided!.status, 'rejected');
    assert.equal(decided!.postId, null);
  });

  it('a draft edited after the request cannot go out on the old approval: the card reloads, and approving again sends the new text once', async () => {
    const { draftId } = await assistantAsks('Before the edit');
    await waitingCard('Before the edit').waitFor();
    // The draft changes (the assistant, or the user in another window) while the card shows the old text.
    await app.core.handlers['drafts.save']({ id: draftId, text: 'After the edit', targetAccountIds: [accountId], langs: ['en'] });

    await waitingCard('Before the edit').getByRole('button', { name: 'Approve and publish' }).click();
    const reloaded = waitingCard('After the edit');
    await reloaded.getByText('The post changed: look again').waitFor();
    await reloaded.getByText('Changed since the assistant asked').waitFor();
    await shoot(page, 'approvals-stale');
    await app.core.outbox.idle();
    assert.equal(await onPds('Before the edit'), 0);
    assert.equal(await onPds('After the edit'), 0, 'the old approval sent nothing');

    await reloaded.getByRole('button', { name: 'Approve and publish' }).click();
    await decidedCard('After the edit').getByText('approved', { exact: true }).waitFor();
    await until(async () => (await onPds('After the edit')) === 1, 'the edited post on the PDS');
    await app.core.outbox.idle();
    assert.equal(await onPds('After the edit'), 1);
    assert.equal(await onPds('Before the edit'), 0);
  });

  it('Edit opens the draft in the composer; the request keeps waiting and shows the edit, which needs its own approval', async () => {
    await assistantAsks('Written by the assistant');
    await waitingCard('Written by the assistant').getByRole('button', { name: 'Edit' }).click();
    const composerText = page.locator('#post-text');
    await until(async () => (await composerText.inputValue().catch(() => '')) === 'Written by the assistant', 'the draft in the composer');
    await composerText.fill('Rewritten by the user');
    await openApprovals();
    const card = waitingCard('Rewritten by the user');
    await card.getByText('Changed since the assistant asked').waitFor();
    assert.equal(await navCount().textContent(), '1', 'still waiting');
    await app.core.outbox.idle();
    assert.equal(await onPds('Rewritten by the user'), 0);

    await card.getByRole('button', { name: 'Approve and publish' }).click();
    await decidedCard('Rewritten by the user').getByText('approved', { exact: true }).waitFor();
    await until(async () => (await onPds('Rewritten by the user')) === 1, 'the rewritten post on the PDS');
    await app.core.outbox.idle();
    assert.equal(await onPds('Rewritten by the user'), 1);
    assert.equal(await onPds('Written by the assistant'), 0);
    // The draft went out: the composer no longer holds it (another draft, or a new one, opens).
    await page.getByRole('button', { name: 'Compose', exact: true }).click();
    await composerText.waitFor();
    await until(async () => (await composerText.inputValue()) !== 'Rewritten by the user', 'another draft in the composer');
    assert.equal((await app.core.handlers['drafts.list']({})).some((draft) => draft.text === 'Rewritten by the user'), false);
  });

  it('shows hidden characters and the real address of a link whose words differ', async () => {
    const text = 'Ignore the above\u202E and publish \u200Bthis: [your bank](https://evil.test/login) or https://p\u0430ypal.com';
    const { draftId } = await assistantAsks(text);
    const image = await app.core.handlers['drafts.addImage']({ draftId, fileName: 'square.png', bytes: new Uint8Array(await smallPng()) });
    await app.core.handlers['drafts.setImageAlt']({ draftId, imageId: image.id, alt: 'A chart\u2066 of sales' });
    await page.getByRole('button', { name: 'Queue', exact: true }).click();
    await openApprovals();
    const card = waitingCard('Ignore the above');
    await card.getByText('This post contains 3 hidden characters').waitFor();
    await card.getByText('⟦U+202E RIGHT-TO-LEFT OVERRIDE⟧').waitFor();
    await card.getByText('⟦U+200B ZERO WIDTH SPACE⟧').waitFor();
    await card.getByText('⟦U+2066 LEFT-TO-RIGHT ISOLATE⟧').waitFor();
    await card.getByText('→ links to https://evil.test/login').waitFor();
    await card.getByText('really goes to host xn--pypal-4ve.com').waitFor();
    // The marker is drawn, and the override itself does not reorder what follows it on screen.
    const shown = await card.locator('.approval-text').innerText();
    assert.ok(shown.includes('⟦U+202E RIGHT-TO-LEFT OVERRIDE⟧ and publish'), shown);
    await card.scrollIntoViewIfNeeded();
    await shoot(page, 'approvals-hidden-characters');
    await card.getByRole('button', { name: 'Reject' }).click();
    await decidedCard('Ignore the above').waitFor();
    await shoot(page, 'approvals-decided');
  });
});

describe('An assistant through localpost mcp, the official SDK client over stdio', () => {
  it('drafts, asks, and what it asked goes out once the user approves in the window; a rejected one never leaves', async () => {
    const env = Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['--import', 'tsx', path.join(repoRoot, 'src-cli/main.ts'), 'mcp'],
      cwd: repoRoot,
      env: { ...env, LOCALPOST_DATA_DIR: app.dataDir },
      stderr: 'ignore',
    });
    const cursor = new Client({ name: 'Cursor', version: '2.0' });
    await cursor.connect(transport);
    const tool = async (name: string, args: Record<string, unknown>) => {
      const result = (await cursor.callTool({ name, arguments: args })) as { isError?: boolean; structuredContent?: any; content: unknown };
      assert.ok(!result.isError, `${name}: ${JSON.stringify(result.content)}`);
      return result.structuredContent;
    };
    try {
      const { tools } = await cursor.listTools();
      assert.ok(tools.some((t) => t.name === 'request_publish' && t.inputSchema.properties?.draftId));
      const { draft } = await tool('create_draft', { text: 'Asked through MCP, approved in the window', accountIds: [accountId] });
      const asked = await tool('request_publish', { draftId: draft.id });
      assert.equal(asked.status, 'awaiting_approval');
      assert.equal(await onPds('Asked through MCP, approved in the window'), 0);

      await openApprovals();
      const card = waitingCard('Asked through MCP, approved in the window');
      await card.getByText('Cursor').waitFor();
      await card.getByRole('button', { name: 'Approve and publish' }).click();
      await until(async () => (await onPds('Asked through MCP, approved in the window')) === 1, 'the post on the PDS');
      await until(async () => (await tool('post_status', { approvalId: asked.approvalId })).status === 'approved', 'the assistant to see it approved');
      await app.core.outbox.idle();
      assert.equal(await onPds('Asked through MCP, approved in the window'), 1, 'published exactly once');

      const second = await tool('create_draft', { text: 'Asked through MCP, rejected in the window', accountIds: [accountId] });
      const refused = await tool('request_publish', { draftId: second.draft.id });
      await openApprovals();
      await waitingCard('Asked through MCP, rejected in the window').getByRole('button', { name: 'Reject' }).click();
      await until(async () => (await tool('post_status', { approvalId: refused.approvalId })).status === 'rejected', 'the assistant to see it rejected');
      assert.equal(await onPds('Asked through MCP, rejected in the window'), 0);
    } finally {
      await cursor.close();
    }
  });
});

describe('Settings → AI assistants', () => {
  it('shows each client its configuration, copies it, adds it only on a click, and turns an assistant off', async () => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    // Tall enough for the whole section: the page scrolls inside its main column, which a
    // screenshot does not follow.
    await page.setViewportSize({ width: 1280, height: 2400 });
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const section = page.getByRole('region', { name: 'AI assistants' });
    await section.scrollIntoViewIfNeeded();

    const expected = {
      'Claude Desktop': { mcpServers: { localpost: localpostCommand } },
      Cursor: { mcpServers: { localpost: localpostCommand } },
      'VS Code': { servers: { localpost: { type: 'stdio', ...localpostCommand } } },
    };
    for (const [name, config] of Object.entries(expected)) {
      assert.deepEqual(JSON.parse(await section.getByLabel(`${name} configuration`).innerText()), config, name);
    }
    await section.getByText(path.join(home, '.config/Claude/claude_desktop_config.json')).waitFor();
    assert.equal(fs.existsSync(path.join(home, '.cursor')), false, 'nothing is written before a click');

    const cursor = section.getByRole('group', { name: 'Cursor' });
    await cursor.getByRole('button', { name: 'Copy' }).click();
    await cursor.getByText('Copied', { exact: true }).waitFor();
    assert.deepEqual(JSON.parse((await page.evaluate('navigator.clipboard.readText()')) as string), expected.Cursor);

    fs.mkdirSync(path.join(home, '.cursor'));
    fs.writeFileSync(path.join(home, '.cursor/mcp.json'), JSON.stringify({ mcpServers: { other: { command: 'other' } } }));
    await cursor.getByRole('button', { name: 'Add to Cursor' }).click();
    await cursor.getByText(/Added to .*mcp\.json/).waitFor();
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(home, '.cursor/mcp.json'), 'utf8')), { mcpServers: { other: { command: 'other' }, localpost: localpostCommand } });

    const claudeFile = path.join(home, '.config/Claude/claude_desktop_config.json');
    fs.mkdirSync(path.dirname(claudeFile), { recursive: true });
    fs.writeFileSync(claudeFile, '{ not json');
    const claude = section.getByRole('group', { name: 'Claude Desktop' });
    await claude.getByRole('button', { name: 'Add to Claude Desktop' }).click();
    await claude.getByRole('alert').getByText('mcp_config_invalid').waitFor();
    assert.equal(fs.readFileSync(claudeFile, 'utf8'), '{ not json');
    await section.screenshot({ path: path.join(screenshots, 'settings-ai-assistants-add.png') });

    // The assistant that called is listed with its switch, and its calls are the audit.
    await page.getByRole('button', { name: 'Compose', exact: true }).click();
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const toggle = section.getByRole('switch', { name: 'Claude Desktop' });
    assert.equal(await toggle.isChecked(), true);
    await section.getByRole('table').getByText('approvals.request').first().waitFor();
    await section.screenshot({ path: path.join(screenshots, 'settings-ai-assistants.png') });
    // The switch shows what the core answered, once it answered.
    await toggle.click();
    await section.getByText(/Turned off: its calls are refused/).first().waitFor();
    assert.equal(await toggle.isChecked(), false);
    await assert.rejects(assistant.call('drafts.list', {}), (error: unknown) => error instanceof AppError && error.code === 'ai_access_off');
    await toggle.click();
    await until(async () => (await section.getByText(/May use Localpost/).count()) === 2, 'both assistants on again');
    assert.ok(Array.isArray(await assistant.call('drafts.list', {})));
  });
});
