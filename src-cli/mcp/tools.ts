// The tools `localpost mcp` offers an AI assistant, each one thin call (or two) through the app's
// local endpoint as an assistant session: read accounts and drafts, write drafts, check them, and
// ask to publish or schedule, which always waits for the user to approve in the Localpost window.
// No tool touches a credential, a setting, an export, a file or a URL: the endpoint would refuse
// them anyway (localEndpoint.ts `assistantMethods`); these tools do not even ask.
//
// Annotations follow the MCP tool annotations (modelcontextprotocol.io/specification/2025-06-18/
// server/tools): hints a client may use to decide what to confirm, so they say honestly what each
// tool does. Only `update_draft` overwrites anything (a draft's text, which the user may have
// written); nothing deletes. `openWorldHint` is true where a platform is reached: a status check
// asks it, and a publish request leads to a public post once the user approves.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { Account, Approval, Draft, Post } from '../../src-preload/contract';
import type { AppCaller } from './appSession';

const id = z.string().min(1).max(64);
const accountIds = z.array(id).max(100).describe('The accounts to post to: ids from list_accounts.');
const replies = z
  .array(z.string().max(100_000))
  .max(100)
  .describe(
    'Posts that follow the text as a thread (each replying to the one before) on Bluesky, X, Mastodon and Threads; elsewhere joined to the text by blank lines. The approval the user is asked for shows every post of the thread.',
  );
const langs = z
  .array(z.string().min(2).max(35))
  .max(3)
  .describe('BCP 47 language tags of the text, like "en" or "pt-BR" (at most 3). Default: the app’s language for new drafts.');

const accountOut = z.object({
  id: z.string(),
  platform: z.string(),
  handle: z.string(),
  displayName: z.string().nullable(),
  status: z.string().describe('connected, needs_reauth, expired, revoked or error'),
  statusReason: z.string().nullable(),
});
const draftOut = z.object({
  id: z.string(),
  text: z.string(),
  replies: z.array(z.string()).describe('Posts that follow the text as a thread, in order.'),
  accountIds: z.array(z.string()),
  langs: z.array(z.string()),
  images: z.number().describe('How many images the draft has (added in the app).'),
  hasVideo: z.boolean(),
  updatedAt: z.string().describe('ISO 8601'),
});
const issueOut = z.object({ ruleId: z.string(), accountId: z.string().nullable(), message: z.string() });
const scheduleOut = z.object({ local: z.string(), zone: z.string() }).nullable();
const requestOut = {
  status: z.literal('awaiting_approval'),
  approvalId: z.string(),
  draftId: z.string(),
  targets: z.array(z.object({ accountId: z.string(), platform: z.string(), handle: z.string() })),
  schedule: scheduleOut,
};
const targetOut = z.object({
  accountId: z.string(),
  platform: z.string(),
  handle: z.string(),
  status: z.string().describe('queued, publishing, published, failed_retryable, failed_permanent, unknown or cancelled'),
  url: z.string().nullable().describe('The web link to the post, where the platform has one.'),
  uri: z.string().nullable().describe('The platform’s id for the post (an at:// URI on Bluesky).'),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});

const publishingWaits =
  'Nothing is published by this tool: it asks the user, who reads the post in the Localpost app and approves or rejects it there. It returns at once with status awaiting_approval and an approvalId; call post_status later to see what the user decided. If the draft changes after asking, the user must look again before it can go out.';

export function registerLocalpostTools(server: McpServer, app: AppCaller): void {
  server.registerTool(
    'list_accounts',
    {
      title: 'List accounts',
      description: 'The accounts connected in Localpost (Bluesky, Mastodon, …) that drafts can target, with their status as last known. Reads the app only.',
      outputSchema: { accounts: z.array(accountOut) },
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    () =>
      answer(async () => {
        const accounts = (await app.call('accounts.list', {})).map(accountView);
        return done({ accounts }, accounts.length === 0 ? 'No accounts are connected: the user connects them in the Localpost app.' : accounts.map(accountLine).join('\n'));
      }),
  );

  server.registerTool(
    'account_status',
    {
      title: 'Check an account',
      description: 'Checks one account with its platform now (is the sign-in still valid?) and returns its status. Changes nothing; the user reconnects an account in the Localpost app if needed.',
      inputSchema: { accountId: id.describe('An account id from list_accounts.') },
      outputSchema: { account: accountOut },
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    },
    ({ accountId }) =>
      answer(async () => {
        const account = accountView(await app.call('accounts.check', { id: accountId }));
        return done({ account }, `${accountLine(account)}${account.statusReason ? `\n${account.statusReason}` : ''}`);
      }),
  );

  server.registerTool(
    'create_draft',
    {
      title: 'Create a draft',
      description:
        'Creates a new draft in Localpost with this text and these target accounts, without asking the user (a draft is never published by itself). Returns the draft id: check it with preflight_post, then ask to publish it with request_publish or request_schedule. Images and video are added by the user in the app.',
      inputSchema: { text: z.string().max(100_000).describe('The post’s text.'), replies: replies.optional(), accountIds, langs: langs.optional() },
      outputSchema: { draft: draftOut },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    ({ text, replies: thread, accountIds: targets, langs: chosen }) =>
      answer(async () => {
        const draftLangs = chosen ?? [(await app.call('settings.get', {})).defaultLanguage];
        const created = await app.call('drafts.create', {});
        await app.call('drafts.save', { id: created.id, text, ...(thread ? { replies: thread } : {}), targetAccountIds: targets, langs: draftLangs });
        const draft = draftView(await app.call('drafts.get', { id: created.id }));
        return done({ draft }, `Draft ${draft.id} created in Localpost (not published).`);
      }),
  );

  server.registerTool(
    'update_draft',
    {
      title: 'Edit a draft',
      description:
        'Replaces a draft’s text, replies, target accounts or languages (what is left out stays as it is), without asking the user. The old text is not kept. A draft already waiting for approval must then be looked at again by the user before it can go out.',
      inputSchema: {
        draftId: id.describe('A draft id from create_draft or list_drafts.'),
        text: z.string().max(100_000).optional().describe('The new text.'),
        replies: replies.optional(),
        accountIds: accountIds.optional(),
        langs: langs.optional(),
      },
      outputSchema: { draft: draftOut },
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    ({ draftId, text, replies: thread, accountIds: targets, langs: chosen }) =>
      answer(async () => {
        const current = await app.call('drafts.get', { id: draftId });
        await app.call('drafts.save', {
          id: draftId,
          text: text ?? current.text,
          ...(thread ? { replies: thread } : {}),
          targetAccountIds: targets ?? current.targetAccountIds,
          langs: chosen ?? current.langs,
        });
        const draft = draftView(await app.call('drafts.get', { id: draftId }));
        return done({ draft }, `Draft ${draft.id} saved (not published).`);
      }),
  );

  server.registerTool(
    'list_drafts',
    {
      title: 'List drafts',
      description: 'Every draft in Localpost, the user’s and those an assistant made, newest first.',
      outputSchema: { drafts: z.array(draftOut) },
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    () =>
      answer(async () => {
        const drafts = (await app.call('drafts.list', {})).map(draftView);
        return done({ drafts }, drafts.length === 0 ? 'No drafts.' : drafts.map((draft) => `${draft.id}  ${oneLine(draft.text) || '(empty)'}`).join('\n'));
      }),
  );

  server.registerTool(
    'preflight_post',
    {
      title: 'Check a draft',
      description:
        'Checks a draft against each target platform’s rules (length, images, alt text, accounts that need reconnecting) without sending anything, and lists what would stop it. Takes a draft id: make one with create_draft first.',
      inputSchema: { draftId: id.describe('A draft id from create_draft or list_drafts.') },
      outputSchema: { draftId: z.string(), ready: z.boolean(), issues: z.array(issueOut) },
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    ({ draftId }) =>
      answer(async () => {
        const issues = await app.call('drafts.preflight', { id: draftId });
        return done({ draftId, ready: issues.length === 0, issues }, issues.length === 0 ? 'Ready: nothing stops this draft.' : issues.map((issue) => `${issue.ruleId}: ${issue.message}`).join('\n'));
      }),
  );

  server.registerTool(
    'request_publish',
    {
      title: 'Ask to publish a draft',
      description: `Asks the user to publish this draft now to its target accounts. ${publishingWaits}`,
      inputSchema: { draftId: id.describe('A draft id from create_draft or list_drafts.') },
      outputSchema: requestOut,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    ({ draftId }) => answer(async () => requested(await app.call('approvals.request', { draftId, clientName: '' }))),
  );

  server.registerTool(
    'request_schedule',
    {
      title: 'Ask to schedule a draft',
      description: `Asks the user to schedule this draft for a wall time in a time zone. ${publishingWaits}`,
      inputSchema: {
        draftId: id.describe('A draft id from create_draft or list_drafts.'),
        local: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'Use YYYY-MM-DDTHH:mm')
          .describe('The wall time, YYYY-MM-DDTHH:mm, like 2026-12-04T09:00.'),
        zone: z.string().min(1).max(64).optional().describe('The IANA time zone of that time, like Europe/Paris. Default: the computer’s.'),
      },
      outputSchema: requestOut,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    ({ draftId, local, zone }) =>
      answer(async () => {
        const schedule = { local, zone: zone ?? (await app.call('app.info', {})).timeZone };
        return requested(await app.call('approvals.request', { draftId, schedule, clientName: '' }));
      }),
  );

  server.registerTool(
    'post_status',
    {
      title: 'Where a request stands',
      description:
        'What became of a request from request_publish or request_schedule: awaiting_approval (the user has not decided), rejected (nothing was sent), or approved, with each target’s status and the link to the published post.',
      inputSchema: { approvalId: id.describe('The approvalId request_publish or request_schedule returned.') },
      outputSchema: {
        approvalId: z.string(),
        status: z.enum(['awaiting_approval', 'approved', 'rejected']),
        changedSinceRequest: z.boolean().describe('The draft changed after the request: the user is shown it as it is now.'),
        schedule: scheduleOut,
        post: z.object({ postId: z.string(), phase: z.string().describe('scheduled, missed, sending, needs_attention or done'), targets: z.array(targetOut) }).nullable(),
      },
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    ({ approvalId }) =>
      answer(async () => {
        const { approval, post } = await app.call('approvals.get', { id: approvalId });
        const view = {
          approvalId: approval.id,
          status: approval.status,
          changedSinceRequest: approval.changedSinceRequest,
          schedule: approval.schedule,
          post: post ? { postId: post.id, phase: post.phase, targets: post.targets.map(targetView) } : null,
        };
        return done(view, statusWords(approval, post));
      }),
  );
}

/** A tool's result: words for the assistant to read, and the same as structured content. */
function done(structured: Record<string, unknown>, words: string): CallToolResult {
  return { content: [{ type: 'text', text: `${words}\n\n${JSON.stringify(structured)}` }], structuredContent: structured };
}

/**
 * Runs a tool; a failure in the app comes back as a tool error (`isError`), with the app's stable
 * code and what to do next, for the assistant to read and tell the user.
 */
async function answer(run: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await run();
  } catch (error) {
    const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : 'internal';
    const message = error instanceof Error ? error.message : String(error);
    const action =
      code === 'app_not_running'
        ? 'Ask the user to start the Localpost app on this computer, then try again.'
        : (error as { action?: string } | null)?.action;
    const body = { code, message, ...(action ? { action } : {}) };
    return { content: [{ type: 'text', text: `${message}${action ? ` ${action}` : ''} (code: ${code})\n\n${JSON.stringify({ error: body })}` }], isError: true };
  }
}

function requested(approval: Approval): CallToolResult {
  const structured = {
    status: 'awaiting_approval' as const,
    approvalId: approval.id,
    draftId: approval.draftId ?? '',
    targets: approval.targets.map(({ accountId, platform, handle }) => ({ accountId, platform, handle })),
    schedule: approval.schedule,
  };
  const what = approval.schedule ? `scheduled for ${approval.schedule.local} (${approval.schedule.zone})` : 'published';
  return done(
    structured,
    `Awaiting approval: nothing has been sent. The user must approve this post in the Localpost app before it is ${what} to ${approval.targets.map((target) => target.handle).join(', ')}. Check with post_status and approvalId ${approval.id}.`,
  );
}

function statusWords(approval: Approval, post: Post | null): string {
  if (approval.status === 'awaiting_approval') return `Awaiting approval in the Localpost app${approval.changedSinceRequest ? ' (the draft changed since the request: the user sees it as it is now)' : ''}. Nothing has been sent.`;
  if (approval.status === 'rejected') return 'Rejected by the user: nothing was sent.';
  if (!post) return 'Approved by the user.';
  const targets = post.targets.map((target) => `${target.platform} ${target.handle}: ${target.status}${target.url ? ` ${target.url}` : ''}${target.error ? ` (${target.error.code}: ${target.error.message})` : ''}`);
  return [`Approved by the user${post.scheduleLocal ? `, scheduled for ${post.scheduleLocal} (${post.scheduleZone})` : ''}.`, ...targets].join('\n');
}

/** What an assistant needs of an account: no picture, no platform ids, no limits. */
function accountView(account: Account): z.infer<typeof accountOut> {
  return { id: account.id, platform: account.platform, handle: account.handle, displayName: account.displayName, status: account.status, statusReason: account.statusReason };
}

/** A draft without its image previews (data URLs an assistant cannot use). */
function draftView(draft: Draft): z.infer<typeof draftOut> {
  return {
    id: draft.id,
    text: draft.text,
    replies: draft.replies,
    accountIds: draft.targetAccountIds,
    langs: draft.langs,
    images: draft.images.length,
    hasVideo: draft.video !== null,
    updatedAt: new Date(draft.updatedAt).toISOString(),
  };
}

function targetView(target: Post['targets'][number]): z.infer<typeof targetOut> {
  return {
    accountId: target.accountId,
    platform: target.platform,
    handle: target.handle,
    status: target.status,
    url: target.url,
    uri: target.uri,
    error: target.error ? { code: target.error.code, message: target.error.message } : null,
  };
}

const accountLine = (account: z.infer<typeof accountOut>) => `${account.id}  ${account.platform}  ${account.handle}  ${account.status}`;
const oneLine = (text: string) => (text.length > 60 ? `${text.slice(0, 59)}…` : text).replace(/\s+/g, ' ');
