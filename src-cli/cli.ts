// The `localpost` command: accounts, posts, drafts and preflight, as a thin client of the running
// app (localpostClient.ts). It holds nothing of its own: every draft, post and sign-in is the app's,
// and the app checks every call as it checks its own window's.
import fs from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import type { Account, Draft, Post, PreflightIssue } from '../src-preload/contract';
import { defaultDataFolder } from './dataFolder';
import { exitCodes } from './exitCodes';
import { connectToLocalpost, type LocalpostClient } from './localpostClient';
import { runMcpServer } from './mcp/mcpServer';
import { CliFailure, Reporter, type CliIo } from './output';

export const cliVersion = '0.1.0';

/** Statuses after which a target changes no more by itself. */
const settledStatuses = new Set(['published', 'failed_permanent', 'unknown', 'cancelled']);

interface GlobalOptions {
  dataDir?: string;
  json?: boolean;
}

/** Runs one command line (without `node` and the script) and gives the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = exitCodes.ok;
  const program = buildProgram(io, (code) => (exitCode = code));
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with code 0.
      if (error.exitCode === 0) return exitCodes.ok;
      // Commander said what is wrong on stderr; a script asking for JSON gets the envelope too.
      if (argv.includes('--json')) new Reporter(io, true).failed(new CliFailure('usage', error.message.replace(/^error: /, '')));
      return exitCodes.usage;
    }
    throw error;
  }
  return exitCode;
}

function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('localpost')
    .description('Post from scripts through the Localpost app running on this computer.')
    .version(cliVersion)
    .addOption(new Option('--data-dir <folder>', 'the app’s data folder, when it is not the usual one').env('LOCALPOST_DATA_DIR'))
    .option('--json', 'print one JSON envelope: { ok, data } or { ok: false, error: { code, message, action, ruleIds } }')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  program.addHelpText(
    'after',
    `
Exit codes: 0 done, 1 failed, 2 usage, 3 Localpost not running, 4 preflight refused,
5 awaiting approval, 6 a platform refused or failed.`,
  );

  /** Runs a command against the app, reporting as --json asks. */
  const withApp =
    <A extends unknown[]>(run: (app: LocalpostClient, report: Reporter, ...args: A) => Promise<number>) =>
    async (...args: A) => {
      const options = program.opts<GlobalOptions>();
      const report = new Reporter(io, options.json === true);
      let app: LocalpostClient | null = null;
      try {
        app = await reachApp(io, options.dataDir ?? defaultDataFolder(io.env));
        setExit(await run(app, report, ...args));
      } catch (error) {
        setExit(report.failed(error));
      } finally {
        app?.close();
      }
    };

  const accounts = program.command('accounts').description('the accounts the app posts to');
  accounts
    .command('list')
    .description('every account of the active profile')
    .action(withApp(async (app, report) => {
      const list = (await app.call('accounts.list', {})).map(publicAccount);
      return report.done(list, list.length === 0 ? 'No accounts yet: connect one in Localpost, or with `localpost accounts connect bluesky`.' : list.map(accountLine).join('\n'));
    }));
  accounts
    .command('status')
    .description('each account’s state; with --account, checked with its platform now')
    .option('--account <id-or-handle>', 'one account, checked now')
    .action(withApp(async (app, report, options: { account?: string }) => {
      const list = await app.call('accounts.list', {});
      const chosen = options.account ? [await app.call('accounts.check', { id: findAccount(list, options.account).id })] : list;
      const healthy = chosen.every((account) => account.status === 'connected');
      return report.done(
        chosen.map(publicAccount),
        chosen.map((account) => `${accountLine(account)}${account.statusReason ? `\n  ${account.statusReason}` : ''}`).join('\n'),
        healthy ? exitCodes.ok : exitCodes.platformError,
      );
    }));
  accounts
    .command('connect')
    .description('connect a Bluesky account with an app password (the other platforms sign in through the app’s window)')
    .argument('<platform>', 'bluesky')
    .requiredOption('--handle <handle>', 'the account’s handle, like alice.bsky.social')
    .option('--service <url>', 'its PDS, when it is not bsky.social', 'https://bsky.social')
    .option('--app-password-stdin', 'read the app password from standard input (else LOCALPOST_APP_PASSWORD)')
    .option('--allow-private-address', 'the PDS is on this computer or its network, and that is intended')
    .action(withApp(async (app, report, platform: string, options: { handle: string; service: string; appPasswordStdin?: boolean; allowPrivateAddress?: boolean }) => {
      if (platform !== 'bluesky') {
        throw new CliFailure('usage', `The command connects Bluesky only; connect ${platform} in the Localpost window.`, { exitCode: exitCodes.usage });
      }
      // Never a flag: a flag shows in the shell's history and in every process list.
      const appPassword = (options.appPasswordStdin ? await io.readStdin() : (io.env.LOCALPOST_APP_PASSWORD ?? '')).trim();
      if (!appPassword) {
        throw new CliFailure('usage', 'No app password: pipe it in with --app-password-stdin, or set LOCALPOST_APP_PASSWORD.', { exitCode: exitCodes.usage });
      }
      const { account, updatedExisting } = await app.call('accounts.connect', {
        platform: 'bluesky',
        handle: options.handle,
        appPassword,
        service: options.service,
        ...(options.allowPrivateAddress ? { confirm: ['private_address'] } : {}),
      });
      return report.done({ account: publicAccount(account), updatedExisting }, `${updatedExisting ? 'Reconnected' : 'Connected'} ${accountLine(account)}`);
    }));

  program
    .command('post')
    .description('publish now, or schedule, to one or more accounts')
    .requiredOption('--to <account...>', 'account ids or handles')
    .requiredOption('--text <text>', 'the post’s text')
    .option('--reply <text...>', 'replies after the text, in order: a thread where the platform has them, one post joined by blank lines elsewhere')
    .option('--split', 'cut a text too long for a platform into a thread there, at sentence boundaries')
    .option('--image <file...>', 'images, in order (JPEG, PNG, WebP or GIF)')
    .option('--alt <text...>', 'alt text for each image, in the same order')
    .option('--at <time>', 'schedule for this wall time, YYYY-MM-DDTHH:mm')
    .option('--tz <zone>', 'the IANA time zone of --at (default: the app’s)')
    .option('--wait', 'wait until every target is published or failed')
    .action(withApp(async (app, report, options: PostOptions) => {
      const draft = await composeDraft(app, options);
      const issues = await app.call('drafts.preflight', { id: draft.id });
      if (issues.length > 0) throw preflightRefusal(issues, draft);
      let post: Post;
      if (options.at) {
        const zone = options.tz ?? (await app.call('app.info', {})).timeZone;
        post = await app.call('publish.schedule', { draftId: draft.id, schedule: { local: options.at, zone } });
        return report.done(post, `Scheduled for ${options.at} (${zone}): ${post.id}`);
      }
      post = await app.call('publish.now', { draftId: draft.id });
      if (options.wait) post = await waitForPost(app, post.id);
      const failed = post.targets.some((target) => target.status === 'failed_permanent' || target.status === 'unknown');
      return report.done(post, postLines(post), options.wait && failed ? exitCodes.platformError : exitCodes.ok);
    }));

  program
    .command('preflight')
    .description('what would stop a post, without sending it (nothing is kept)')
    .requiredOption('--to <account...>', 'account ids or handles')
    .requiredOption('--text <text>', 'the post’s text')
    .option('--reply <text...>', 'replies after the text, in order: a thread where the platform has them, one post joined by blank lines elsewhere')
    .option('--split', 'cut a text too long for a platform into a thread there, at sentence boundaries')
    .option('--image <file...>', 'images, in order')
    .option('--alt <text...>', 'alt text for each image, in the same order')
    .action(withApp(async (app, report, options: PostOptions) => {
      const draft = await composeDraft(app, options);
      try {
        const issues = await app.call('drafts.preflight', { id: draft.id });
        return report.done(issues, issues.length === 0 ? 'Ready to publish.' : issues.map(issueLine).join('\n'), issues.length === 0 ? exitCodes.ok : exitCodes.preflightRefused);
      } finally {
        await app.call('drafts.delete', { id: draft.id });
      }
    }));

  const posts = program.command('posts').description('posts in the queue and in history');
  posts
    .command('list')
    .description('the queue, then history, newest first')
    .action(withApp(async (app, report) => {
      const all = await allPosts(app);
      return report.done(all, all.length === 0 ? 'No posts yet.' : all.map((post) => `${post.id}  ${post.phase}  ${oneLine(post.text)}`).join('\n'));
    }));
  posts
    .command('show')
    .argument('<id>', 'the post’s id')
    .description('one post and each of its targets')
    .action(withApp(async (app, report, id: string) => {
      const post = await findPost(app, id);
      return report.done(post, postLines(post));
    }));
  posts
    .command('retry')
    .argument('<id>', 'the post’s id')
    .description('send the failed targets of a post again')
    .action(withApp(async (app, report, id: string) => {
      const post = await app.call('outbox.retry', { postId: id });
      return report.done(post, postLines(post));
    }));
  posts
    .command('cancel')
    .argument('<id>', 'the post’s id')
    .description('cancel every target that has not gone out')
    .action(withApp(async (app, report, id: string) => {
      const post = await app.call('outbox.cancel', { postId: id });
      return report.done(post, postLines(post));
    }));

  const drafts = program.command('drafts').description('drafts, edited in the app');
  drafts
    .command('list')
    .description('every draft of the active profile')
    .action(withApp(async (app, report) => {
      const list = await app.call('drafts.list', {});
      return report.done(list, list.length === 0 ? 'No drafts.' : list.map((draft) => `${draft.id}  ${oneLine(draft.text) || '(empty)'}`).join('\n'));
    }));
  drafts
    .command('create')
    .description('a new draft, to finish in the app')
    .requiredOption('--text <text>', 'the draft’s text')
    .option('--reply <text...>', 'replies after the text, in order: a thread where the platform has them, one post joined by blank lines elsewhere')
    .option('--split', 'cut a text too long for a platform into a thread there, at sentence boundaries')
    .option('--to <account...>', 'account ids or handles')
    .option('--image <file...>', 'images, in order')
    .option('--alt <text...>', 'alt text for each image, in the same order')
    .action(withApp(async (app, report, options: PostOptions) => {
      const draft = await composeDraft(app, { ...options, to: options.to ?? [] });
      return report.done(draft, `Draft ${draft.id} created.`);
    }));

  program
    .command('mcp')
    .description('serve AI assistants over MCP on stdio: they may draft, and ask to publish, which waits for your approval in the app')
    .action(async () => {
      const options = program.opts<GlobalOptions>();
      // Standard output is the protocol's alone: a stray console.log would break the client.
      console.log = console.info = console.debug = (...args: unknown[]) => console.error(...args);
      if (!io.streams) throw new CliFailure('usage', 'localpost mcp needs standard input and output.', { exitCode: exitCodes.usage });
      const dataDir = options.dataDir ?? defaultDataFolder(io.env);
      await runMcpServer({
        connect: (client: { name: string; version: string }) => reachApp(io, dataDir, client, 'assistant'),
        appName: `the Localpost app of ${dataDir}`,
        version: cliVersion,
        stdin: io.streams.stdin,
        stdout: io.streams.stdout,
        stderr: io.stderr,
      });
    });

  return program;
}

/** How long a command waits for an app it started to open its door. */
const appStartWaitMs = 20_000;

/**
 * The running app's door; where none answers and the command can start the app (inside the
 * installed app), it starts it without a window and waits for it.
 */
export async function reachApp(io: CliIo, dataDir: string, client = { name: 'localpost-cli', version: cliVersion }, kind: 'command' | 'assistant' = 'command'): Promise<LocalpostClient> {
  const connect = () => connectToLocalpost({ dataDir, client, kind });
  try {
    return await connect();
  } catch (error) {
    if (!io.startApp || (error as { code?: unknown }).code !== 'app_not_running') throw error;
  }
  io.startApp();
  const deadline = Date.now() + (Number(io.env.LOCALPOST_APP_START_WAIT_MS) || appStartWaitMs);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    try {
      return await connect();
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'app_not_running' || Date.now() > deadline) throw error;
    }
  }
}

interface PostOptions {
  to: string[];
  text: string;
  reply?: string[];
  split?: boolean;
  image?: string[];
  alt?: string[];
  at?: string;
  tz?: string;
  wait?: boolean;
}

/** A draft with the text, targets and images asked for, every image read here and sent as bytes. */
async function composeDraft(app: LocalpostClient, options: PostOptions): Promise<Draft> {
  const images = options.image ?? [];
  const alts = options.alt ?? [];
  if (alts.length > images.length) throw new CliFailure('usage', 'There are more --alt texts than --image files.', { exitCode: exitCodes.usage });
  const files = images.map((file) => {
    try {
      return { fileName: path.basename(file), bytes: new Uint8Array(fs.readFileSync(file)) };
    } catch {
      throw new CliFailure('usage', `Cannot read the image ${file}.`, { exitCode: exitCodes.usage });
    }
  });
  const accounts = await app.call('accounts.list', {});
  const targetAccountIds = options.to.map((wanted) => findAccount(accounts, wanted).id);
  const { defaultLanguage } = await app.call('settings.get', {});
  const draft = await app.call('drafts.create', {});
  await app.call('drafts.save', {
    id: draft.id,
    text: options.text,
    replies: options.reply ?? [],
    splitLongPosts: options.split ?? false,
    targetAccountIds,
    langs: [defaultLanguage],
  });
  for (const [index, file] of files.entries()) {
    const image = await app.call('drafts.addImage', { draftId: draft.id, ...file });
    const alt = alts[index];
    if (alt) await app.call('drafts.setImageAlt', { draftId: draft.id, imageId: image.id, alt });
  }
  return app.call('drafts.get', { id: draft.id });
}

function preflightRefusal(issues: PreflightIssue[], draft: Draft): CliFailure {
  return new CliFailure('preflight_failed', `Not sent: ${issues.map((issue) => issue.message).join(' ')}`, {
    action: `The draft is kept (${draft.id}): fix it in Localpost, or run the command again.`,
    ruleIds: [...new Set(issues.map((issue) => issue.ruleId))],
  });
}

/** An account named by its id or handle (with or without its @), exactly one. */
function findAccount(accounts: Account[], wanted: string): Account {
  const bare = wanted.replace(/^@/, '').toLowerCase();
  const found = accounts.filter((account) => account.id === wanted || account.handle.toLowerCase() === bare);
  if (found.length === 1) return found[0]!;
  throw new CliFailure('usage', found.length === 0 ? `No account is ${wanted}: see \`localpost accounts list\`.` : `${wanted} names several accounts: use an id.`, {
    exitCode: exitCodes.usage,
  });
}

async function allPosts(app: LocalpostClient): Promise<Post[]> {
  const [queued, done] = await Promise.all([app.call('outbox.list', {}), app.call('history.list', {})]);
  const seen = new Set<string>();
  return [...queued, ...done].filter((post) => !seen.has(post.id) && seen.add(post.id));
}

async function findPost(app: LocalpostClient, id: string): Promise<Post> {
  const post = (await allPosts(app)).find((candidate) => candidate.id === id);
  if (!post) throw new CliFailure('not_found', `No post is ${id}: see \`localpost posts list\`.`);
  return post;
}

/** Polls the post until every target is settled (the app's outbox does the sending). */
async function waitForPost(app: LocalpostClient, id: string): Promise<Post> {
  for (;;) {
    const post = await findPost(app, id);
    if (post.targets.every((target) => settledStatuses.has(target.status))) return post;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** An account without its picture: a data URL is of no use to a script. */
function publicAccount(account: Account): Omit<Account, 'avatar'> {
  const { avatar: _avatar, ...rest } = account;
  return rest;
}

const accountLine = (account: Pick<Account, 'id' | 'platform' | 'handle' | 'status'>) => `${account.id}  ${account.platform}  ${account.handle}  ${account.status}`;
const issueLine = (issue: PreflightIssue) => `${issue.ruleId}: ${issue.message}`;
const oneLine = (text: string) => (text.length > 60 ? `${text.slice(0, 59)}…` : text).replace(/\s+/g, ' ');

function postLines(post: Post): string {
  const head = `${post.id}  ${post.phase}  ${oneLine(post.text)}`;
  const targets = post.targets.map(
    (target) =>
      `  ${target.platform} ${target.handle}: ${target.status}${target.chain ? ` (${target.chain.published} of ${target.chain.total} posts)` : ''}${target.url ? `  ${target.url}` : ''}${target.error ? `  (${target.error.code}: ${target.error.message})` : ''}`,
  );
  return [head, ...targets].join('\n');
}
