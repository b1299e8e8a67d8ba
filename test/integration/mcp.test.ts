// `localpost mcp` as an AI assistant's client runs it: its own process spoken to over stdio by the
// official MCP SDK's client, against the real core through the local endpoint, publishing to a
// real PDS. The assistant drafts freely; what it asks to publish waits, and goes out once only
// when the user (here the test, calling the core as the app's window does) approves exactly what
// was shown.
//
// Run: npm test -- test/integration/mcp.test.ts
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startLocalEndpoint, type LocalEndpoint } from '../../src-main/core/localEndpoint/localEndpoint';
import { startCore, type CoreClient } from '../harness/coreClient';
import { startPds, type TestPds } from '../harness/pds';
import { settled } from '../harness/settled';

const repoRoot = path.resolve(import.meta.dirname, '../..');
let pds: TestPds;
let alice: Awaited<ReturnType<TestPds['createAccount']>>;
let app: CoreClient;
let endpoint: LocalEndpoint;
let accountId: string;
const assistants: Array<{ client: Client; errors: Error[]; stderr: () => string }> = [];

const startEndpoint = () => startLocalEndpoint({ dataDir: app.dataDir, handlers: app.core.handlers, log: app.core.log, aiClients: app.core.aiClients, appVersion: '0.0.0-test' });

before(async () => {
  pds = await startPds();
  alice = await pds.createAccount('alice');
  app = await startCore();
  endpoint = await startEndpoint();
  accountId = (await app.call('accounts.connect', { platform: 'bluesky', handle: alice.handle, appPassword: alice.appPassword, service: pds.url, confirm: ['private_address'] })).account.id;
});
after(async () => {
  for (const { client, errors, stderr } of assistants) {
    await client.close();
    // Anything but the protocol on stdout would have reached the client as an error.
    assert.deepEqual(errors.map((error) => error.message), [], `the server wrote only the protocol on stdout; its stderr: ${stderr()}`);
  }
  await endpoint.close();
  app.close();
  await pds.close();
});

/** An MCP client that names itself `name`, running `localpost mcp` as its own process. */
async function assistant(name = 'Claude Desktop', dataDir = app.dataDir): Promise<Client> {
  const env = Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['--import', 'tsx', path.join(repoRoot, 'src-cli/main.ts'), 'mcp'],
    cwd: repoRoot,
    env: { ...env, LOCALPOST_DATA_DIR: dataDir },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const client = new Client({ name, version: '1.0' });
  const errors: Error[] = [];
  client.onerror = (error) => errors.push(error);
  await client.connect(transport);
  assistants.push({ client, errors, stderr: () => stderr });
  return client;
}

async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

/** A tool's structured result, after checking it succeeded. */
async function ok(client: Client, name: string, args: Record<string, unknown> = {}): Promise<any> {
  const result = await call(client, name, args);
  assert.ok(!result.isError, `${name} failed: ${textOf(result)}`);
  return result.structuredContent;
}

/** A tool error, after checking it is one: its words and the app's stable code. */
async function failure(client: Client, name: string, args: Record<string, unknown> = {}): Promise<{ text: string; code: string }> {
  const result = await call(client, name, args);
  assert.equal(result.isError, true, `${name} should have failed: ${textOf(result)}`);
  const text = textOf(result);
  return { text, code: /\(code: ([a-z_]+)\)/.exec(text)?.[1] ?? '' };
}

const textOf = (result: CallToolResult) => result.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
const onPds = async (text: string) => (await pds.listPosts(alice.did)).filter((post) => post.value.text === text).length;
const shownNow = async (approvalId: string) => (await app.call('approvals.list', {})).find((approval) => approval.id === approvalId)!;

describe('localpost mcp', () => {
  it('lists its tools with input schemas, output schemas and honest annotations', async () => {
    const client = await assistant();
    assert.equal(client.getServerVersion()?.name, 'localpost');
    const { tools } = await client.listTools();
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    assert.deepEqual(
      [...byName.keys()].sort(),
      ['account_status', 'create_draft', 'list_accounts', 'list_drafts', 'post_status', 'preflight_post', 'request_publish', 'request_schedule', 'update_draft'],
    );
    const hints = (name: string) => {
      const { readOnlyHint, destructiveHint, idempotentHint, openWorldHint } = byName.get(name)!.annotations!;
      return { readOnlyHint, destructiveHint, idempotentHint, openWorldHint };
    };
    const reads = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
    assert.deepEqual(hints('list_accounts'), reads);
    assert.deepEqual(hints('list_drafts'), reads);
    assert.deepEqual(hints('preflight_post'), reads);
    assert.deepEqual(hints('post_status'), reads);
    assert.deepEqual(hints('account_status'), { ...reads, openWorldHint: true }, 'a status check asks the platform');
    assert.deepEqual(hints('create_draft'), { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false });
    assert.deepEqual(hints('update_draft'), { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false }, 'it replaces the text');
    for (const name of ['request_publish', 'request_schedule']) {
      assert.deepEqual(hints(name), { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true });
      assert.match(byName.get(name)!.description!, /approves or rejects it there/);
      assert.match(byName.get(name)!.description!, /Nothing is published by this tool/);
    }

    const create = byName.get('create_draft')!;
    assert.deepEqual([...(create.inputSchema.required ?? [])].sort(), ['accountIds', 'text']);
    assert.equal((create.inputSchema.properties!.accountIds as { type: string }).type, 'array');
    assert.ok(create.outputSchema?.properties?.draft, 'create_draft says what it returns');
    const schedule = byName.get('request_schedule')!;
    assert.deepEqual([...(schedule.inputSchema.required ?? [])].sort(), ['draftId', 'local']);
    assert.equal((schedule.inputSchema.properties!.local as { pattern: string }).pattern, '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}$');
    assert.deepEqual(byName.get('request_publish')!.outputSchema!.required?.includes('approvalId'), true);
    assert.deepEqual([...(byName.get('post_status')!.inputSchema.required ?? [])], ['approvalId']);
    for (const tool of tools) assert.doesNotMatch(`${tool.name} ${JSON.stringify(tool.inputSchema)}`, /password|token|secret|setting|export|file|url|delete/i, tool.name);
  });

  it('lists accounts, and drafts without asking: the draft is in the app, checked by preflight', async () => {
    const client = await assistant();
    const { accounts } = await ok(client, 'list_accounts');
    assert.deepEqual(accounts.map((a: { id: string; handle: string; status: string }) => [a.id, a.handle, a.status]), [[accountId, alice.handle, 'connected']]);
    assert.equal('avatar' in accounts[0], false, 'no picture data for the assistant');
    assert.equal((await ok(client, 'account_status', { accountId })).account.status, 'connected');

    const { draft } = await ok(client, 'create_draft', { text: 'Drafted through MCP', accountIds: [accountId] });
    const inApp = await app.call('drafts.get', { id: draft.id });
    assert.equal(inApp.text, 'Drafted through MCP');
    assert.deepEqual(inApp.targetAccountIds, [accountId]);
    assert.deepEqual(inApp.langs, [(await app.call('settings.get', {})).defaultLanguage], 'the app’s language for a new draft');
    assert.ok((await ok(client, 'list_drafts')).drafts.some((d: { id: string }) => d.id === draft.id));
    assert.deepEqual(await ok(client, 'preflight_post', { draftId: draft.id }), { draftId: draft.id, ready: true, issues: [] });

    // A thread can be drafted and asked for; the approval shows each of its posts.
    const thread = (await ok(client, 'create_draft', { text: 'Thread through MCP', replies: ['Its reply'], accountIds: [accountId], langs: ['en'] })).draft;
    assert.deepEqual(thread.replies, ['Its reply']);
    assert.deepEqual((await app.call('drafts.get', { id: thread.id })).replies, ['Its reply']);
    assert.deepEqual((await ok(client, 'update_draft', { draftId: thread.id, replies: ['Another reply', 'And one more'] })).draft.replies, ['Another reply', 'And one more']);
    assert.equal((await ok(client, 'update_draft', { draftId: thread.id, text: 'Thread, retitled' })).draft.replies.length, 2, 'replies left out stay');
    const threadAsked = await ok(client, 'request_publish', { draftId: thread.id });
    const threadShown = (await app.call('approvals.list', {})).find((a) => a.id === threadAsked.approvalId)!;
    assert.deepEqual(threadShown.targets[0]!.posts, ['Thread, retitled', 'Another reply', 'And one more']);
    await app.call('approvals.reject', { id: threadAsked.approvalId });

    const long = (await ok(client, 'create_draft', { text: 'x'.repeat(301), accountIds: [accountId], langs: ['en'] })).draft;
    const refused = await ok(client, 'preflight_post', { draftId: long.id });
    assert.equal(refused.ready, false);
    assert.ok(refused.issues.length > 0 && refused.issues.every((issue: { accountId: string }) => issue.accountId === accountId));
    const asked = await failure(client, 'request_publish', { draftId: long.id });
    assert.equal(asked.code, 'preflight_failed', 'the user is never asked to approve what cannot go out');
    assert.equal(await onPds('Drafted through MCP'), 0, 'drafting sends nothing');
  });

  it('a publish request waits; approved in the app with what was shown, it goes out once, and post_status shows it', async () => {
    const client = await assistant();
    const { draft } = await ok(client, 'create_draft', { text: 'Approved through MCP', accountIds: [accountId], langs: ['en'] });
    const result = await call(client, 'request_publish', { draftId: draft.id });
    assert.ok(!result.isError, textOf(result));
    const asked = result.structuredContent as { status: string; approvalId: string; targets: Array<{ handle: string }> };
    assert.equal(asked.status, 'awaiting_approval');
    assert.deepEqual(asked.targets.map((t) => t.handle), [alice.handle]);
    assert.match(textOf(result), /The user must approve this post in the Localpost app/);
    assert.equal(await onPds('Approved through MCP'), 0, 'nothing leaves before the user says so');
    assert.equal((await ok(client, 'post_status', { approvalId: asked.approvalId })).status, 'awaiting_approval');

    // The user, in the app's window: reads the request, approves exactly that.
    const shown = await shownNow(asked.approvalId);
    assert.equal(shown.clientName, 'Claude Desktop', 'the request names the MCP client');
    assert.equal(shown.text, 'Approved through MCP');
    const approved = await app.call('approvals.approve', { id: shown.id, contentHash: shown.contentHash });
    const sent = await settled(app, approved.postId!, (post) => post.targets.every((target) => target.status === 'published'));

    const status = await ok(client, 'post_status', { approvalId: asked.approvalId });
    assert.equal(status.status, 'approved');
    assert.equal(status.post.postId, approved.postId);
    assert.deepEqual(status.post.targets.map((t: { handle: string; status: string }) => [t.handle, t.status]), [[alice.handle, 'published']]);
    assert.match(status.post.targets[0].uri, new RegExp(`^at://${alice.did}/app\\.bsky\\.feed\\.post/`));
    assert.equal(status.post.targets[0].url, sent.targets[0]!.url, 'the link as the app has it (bsky.app for bsky.social accounts)');
    assert.equal(await onPds('Approved through MCP'), 1);

    const { clients, requests } = await app.call('aiClients.list', {});
    assert.ok(clients.some((c) => c.name === 'Claude Desktop'), 'the app sees the MCP client’s own name');
    assert.ok(!clients.some((c) => /localpost/i.test(c.name)), 'not the name of the process in between');
    assert.ok(requests.some((r) => r.clientName === 'Claude Desktop' && r.method === 'approvals.request' && r.outcome === 'ok'));
  });

  it('a rejected request never leaves', async () => {
    const client = await assistant();
    const { draft } = await ok(client, 'create_draft', { text: 'Rejected through MCP', accountIds: [accountId], langs: ['en'] });
    const asked = await ok(client, 'request_publish', { draftId: draft.id });
    const rejected = await app.call('approvals.reject', { id: asked.approvalId });
    const status = await call(client, 'post_status', { approvalId: asked.approvalId });
    assert.equal((status.structuredContent as { status: string }).status, 'rejected');
    assert.match(textOf(status), /nothing was sent/);
    await assert.rejects(app.call('approvals.approve', { id: asked.approvalId, contentHash: rejected.contentHash }), (e: { code: string }) => e.code === 'approval_stale');
    assert.equal(await onPds('Rejected through MCP'), 0);
  });

  it('a draft the assistant edits after asking cannot be approved with the old hash', async () => {
    const client = await assistant();
    const { draft } = await ok(client, 'create_draft', { text: 'Harmless words via MCP', accountIds: [accountId], langs: ['en'] });
    const asked = await ok(client, 'request_publish', { draftId: draft.id });
    const shownFirst = await shownNow(asked.approvalId);
    assert.equal((await ok(client, 'update_draft', { draftId: draft.id, text: 'Swapped after asking via MCP' })).draft.text, 'Swapped after asking via MCP');
    await assert.rejects(app.call('approvals.approve', { id: asked.approvalId, contentHash: shownFirst.contentHash }), (e: { code: string }) => e.code === 'approval_stale');
    assert.equal(await onPds('Swapped after asking via MCP'), 0);
    assert.equal(await onPds('Harmless words via MCP'), 0);
    const status = await ok(client, 'post_status', { approvalId: asked.approvalId });
    assert.deepEqual([status.status, status.changedSinceRequest], ['awaiting_approval', true]);
    assert.equal((await shownNow(asked.approvalId)).text, 'Swapped after asking via MCP', 'the user is shown what would go out now');
    await app.call('approvals.reject', { id: asked.approvalId });
  });

  it('a schedule request carries its time and zone (the computer’s by default) and waits too', async () => {
    const client = await assistant();
    const { draft } = await ok(client, 'create_draft', { text: 'Scheduled through MCP', accountIds: [accountId], langs: ['en'] });
    const paris = await ok(client, 'request_schedule', { draftId: draft.id, local: '2030-06-01T09:00', zone: 'Europe/Paris' });
    assert.deepEqual([paris.status, paris.schedule], ['awaiting_approval', { local: '2030-06-01T09:00', zone: 'Europe/Paris' }]);
    const local = await ok(client, 'request_schedule', { draftId: draft.id, local: '2030-06-01T10:00' });
    assert.equal(local.schedule.zone, (await app.call('app.info', {})).timeZone);
    const bad = await call(client, 'request_schedule', { draftId: draft.id, local: 'tomorrow at nine' });
    assert.equal(bad.isError, true);
    assert.match(textOf(bad), /YYYY-MM-DDTHH:mm/);
    const shown = await shownNow(paris.approvalId);
    const approved = await app.call('approvals.approve', { id: shown.id, contentHash: shown.contentHash });
    const status = await ok(client, 'post_status', { approvalId: paris.approvalId });
    assert.deepEqual([status.status, status.post.postId, status.post.phase], ['approved', approved.postId, 'scheduled']);
    await app.call('approvals.reject', { id: local.approvalId });
    await app.call('outbox.cancel', { postId: approved.postId! });
    assert.equal(await onPds('Scheduled through MCP'), 0);
  });

  it('an app error comes back as a tool error with its stable code', async () => {
    const client = await assistant();
    const missing = await failure(client, 'post_status', { approvalId: 'no-such-request' });
    assert.equal(missing.code, 'not_found');
    const draft = await failure(client, 'update_draft', { draftId: 'no-such-draft', text: 'x' });
    assert.equal(draft.code, 'not_found');
  });

  it('says to start Localpost when the app is not running, and finds it again once it runs', async () => {
    const nowhere = await assistant('Claude Desktop', fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-none-')));
    const notRunning = await failure(nowhere, 'list_accounts');
    assert.equal(notRunning.code, 'app_not_running');
    assert.match(notRunning.text, /Localpost is not running\. Ask the user to start the Localpost app/);

    // The app quits while the assistant keeps its server running, then starts again.
    const client = await assistant('Cursor');
    assert.equal((await ok(client, 'list_accounts')).accounts.length, 1);
    await endpoint.close();
    assert.equal((await failure(client, 'list_accounts')).code, 'app_not_running');
    endpoint = await startEndpoint();
    assert.equal((await ok(client, 'list_accounts')).accounts.length, 1, 'a new session once the app is back');
  });

  it('an assistant the user turned off is told so', async () => {
    const client = await assistant('Turned Off Assistant');
    await ok(client, 'list_drafts');
    await app.call('aiClients.setEnabled', { name: 'Turned Off Assistant', enabled: false });
    const off = await failure(client, 'list_drafts');
    assert.equal(off.code, 'ai_access_off');
    assert.match(off.text, /Settings → AI assistants/);
  });
});
