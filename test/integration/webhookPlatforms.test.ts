// Discord, Slack and Telegram against contract mocks of their documented APIs: connect checks,
// publishing shapes (wait=true, multipart with alt text, captions, media groups), errors with
// stable codes, rate limits with a retry time, revocation, and secrets kept out of sight.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { smallPng } from '../fixtures/images';
import { startCore, type CoreClient } from '../harness/coreClient';
import { settled } from '../harness/settled';
import {
  discordWebhook,
  discordWebhookUrl,
  slackWebhookUrl,
  startWebhookPlatformMocks,
  telegramBotToken,
  telegramChat,
  type WebhookPlatformMocks,
} from '../harness/webhookPlatformMocks';

let mocks: WebhookPlatformMocks;
before(async () => {
  mocks = await startWebhookPlatformMocks();
});
after(() => mocks.close());

const start = () => startCore({ env: mocks.env });
const lastRequest = (platform: string) => [...mocks.requests].reverse().find((r) => r.platform === platform)!;

async function publish(app: CoreClient, accountIds: string[], text: string, images: Array<{ alt: string }> = []) {
  const draft = await app.call('drafts.create', {});
  await app.call('drafts.save', { id: draft.id, text, targetAccountIds: accountIds, langs: ['en'] });
  for (const image of images) {
    const added = await app.call('drafts.addImage', { draftId: draft.id, fileName: 'a.png', bytes: new Uint8Array(await smallPng(120, 80)) });
    await app.call('drafts.setImageAlt', { draftId: draft.id, imageId: added.id, alt: image.alt });
  }
  return { draftId: draft.id, post: await app.call('publish.now', { draftId: draft.id }) };
}

describe('Discord webhooks', () => {
  it('validates the URL before any request', async () => {
    const app = await start();
    const before = mocks.requests.length;
    for (const webhookUrl of ['https://example.com/api/webhooks/1/2', 'http://discord.com/api/webhooks/112233445566778899/abc', 'not a url']) {
      await assert.rejects(app.call('accounts.connect', { platform: 'discord', webhookUrl }), { code: 'invalid_input' });
    }
    assert.equal(mocks.requests.length, before);
    app.close();
  });

  it('connects (named by the webhook), posts with wait=true and records the message id and link', async () => {
    const app = await start();
    const { account } = await app.call('accounts.connect', { platform: 'discord', webhookUrl: discordWebhookUrl });
    assert.equal(account.handle, 'announcements');
    assert.equal(account.remoteId, discordWebhook.id);
    const { post } = await publish(app, [account.id], 'Hello Discord');
    const target = post.targets[0]!;
    assert.equal(target.status, 'published');
    assert.match(target.url!, /^https:\/\/discord\.com\/channels\/444\/555\/\d+$/);
    const sent = lastRequest('discord');
    assert.match(sent.path, /\?wait=true$/);
    assert.deepEqual(sent.body, { content: 'Hello Discord' });
    // The same webhook again is the same account.
    assert.equal((await app.call('accounts.connect', { platform: 'discord', webhookUrl: discordWebhookUrl })).updatedExisting, true);
    app.close();
  });

  it('uploads images as files with their alt text as descriptions', async () => {
    const app = await start();
    const { account } = await app.call('accounts.connect', { platform: 'discord', webhookUrl: discordWebhookUrl });
    const { post } = await publish(app, [account.id], 'Two pictures', [{ alt: 'First' }, { alt: 'Second' }]);
    assert.equal(post.targets[0]!.status, 'published');
    const sent = lastRequest('discord');
    assert.match(sent.contentType, /^multipart\/form-data/);
    const payload = JSON.parse(String(sent.body.payload_json));
    assert.equal(payload.content, 'Two pictures');
    assert.deepEqual(payload.attachments.map((a: { description: string }) => a.description), ['First', 'Second']);
    assert.equal((sent.body['files[0]'] as { type: string }).type, 'image/png');
    app.close();
  });

  it('a 429 is rate_limited with when to retry; the outbox waits that long and sends it once', async () => {
    const app = await start();
    const { account } = await app.call('accounts.connect', { platform: 'discord', webhookUrl: discordWebhookUrl });
    mocks.answerNext('discord', { status: 429, body: { message: 'You are being rate limited.', retry_after: 2.5, global: false }, headers: { 'retry-after': '3' } });
    const before = Date.now();
    const { post } = await publish(app, [account.id], 'Too fast');
    const error = post.targets[0]!.error!;
    assert.equal(error.code, 'rate_limited');
    assert.ok(error.retryAt! >= before + 2400 && error.retryAt! <= Date.now() + 2600, `retryAt ${error.retryAt}`);
    assert.equal(post.targets[0]!.status, 'queued');
    assert.ok(post.targets[0]!.nextAttemptAt! >= error.retryAt!, 'not before Discord allows it');
    const sent = () => mocks.requests.filter((r) => r.platform === 'discord' && r.method === 'POST' && r.body.content === 'Too fast').length;
    for (let i = 0; i < 200 && sent() < 2; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    await app.core.outbox.idle();
    const [done] = await app.call('history.list', {});
    assert.equal(done!.targets[0]!.status, 'published');
    assert.equal(sent(), 2, 'the refused request and the one after the wait');
    app.close();
  });

  it('a deleted webhook: refused at connect, and Check connection turns the account revoked', async () => {
    const app = await start();
    const { account } = await app.call('accounts.connect', { platform: 'discord', webhookUrl: discordWebhookUrl });
    mocks.answerNext('discord', { status: 404, body: { message: 'Unknown Webhook', code: 10015 } });
    await assert.rejects(app.call('accounts.connect', { platform: 'discord', webhookUrl: discordWebhookUrl }), { code: 'invalid_credentials' });
    mocks.answerNext('discord', { status: 404, body: { message: 'Unknown Webhook', code: 10015 } });
    const checked = await app.call('accounts.check', { id: account.id });
    assert.equal(checked.status, 'revoked');
    assert.equal(checked.nextAction, 'reconnect');
    app.close();
  });
});

describe('Slack incoming webhooks', () => {
  it('checks the webhook without posting, then posts text', async () => {
    const app = await start();
    const { account } = await app.call('accounts.connect', { platform: 'slack', webhookUrl: slackWebhookUrl, label: '#general' });
    assert.equal(account.handle, '#general');
    assert.deepEqual(lastRequest('slack').body, {}, 'the check posts nothing');
    const { post } = await publish(app, [account.id], 'Hello Slack');
    assert.equal(post.targets[0]!.status, 'published');
    assert.equal(post.targets[0]!.url, null);
    assert.deepEqual(lastRequest('slack').body, { text: 'Hello Slack' });
    app.close();
  });

  it('refuses images by preflight (media.unsupported) before anything is sent', async () => {
    const app = await start();
    const { account } = await app.call('accounts.connect', { platform: 'slack', webhookUrl: slackWebhookUrl, label: '#general' });
    const before = mocks.requests.length;
    await assert.rejects(publish(app, [account.id], 'With a picture', [{ alt: 'x' }]), (error: any) => /media\.unsupported/.test(error.message));
    assert.equal(mocks.requests.length, before);
    app.close();
  });

  it('a removed webhook is invalid_credentials at connect; Retry-After is honoured', async () => {
    const app = await start();
    mocks.answerNext('slack', { status: 404, body: 'no_service' });
    await assert.rejects(app.call('accounts.connect', { platform: 'slack', webhookUrl: slackWebhookUrl, label: '#x' }), { code: 'invalid_credentials' });
    const { account } = await app.call('accounts.connect', { platform: 'slack', webhookUrl: slackWebhookUrl, label: '#x' });
    mocks.answerNext('slack', { status: 429, body: 'rate_limited', headers: { 'retry-after': '30' } });
    const { post } = await publish(app, [account.id], 'Again');
    assert.equal(post.targets[0]!.error?.code, 'rate_limited');
    assert.ok(post.targets[0]!.error!.retryAt! > Date.now() + 25_000);
    app.close();
  });
});

describe('Telegram bots', () => {
  it('checks the token (getMe) and the chat (getChat) before saving', async () => {
    const app = await start();
    await assert.rejects(app.call('accounts.connect', { platform: 'telegram', botToken: 'not-a-token', chatId: '@x' }), { code: 'invalid_input' });
    await assert.rejects(
      app.call('accounts.connect', { platform: 'telegram', botToken: '111111111:AAHwrongwrongwrongwrongwrongwrong12', chatId: '@localpostnews' }),
      { code: 'invalid_credentials' },
    );
    await assert.rejects(app.call('accounts.connect', { platform: 'telegram', botToken: telegramBotToken, chatId: '@nobodyhere' }), (error: any) => {
      assert.equal(error.code, 'platform_rejected');
      assert.match(error.message, /chat not found/);
      assert.match(error.error.action, /localpost_test_bot/);
      return true;
    });
    assert.deepEqual(await app.call('accounts.list', {}), []);
    const { account } = await app.call('accounts.connect', { platform: 'telegram', botToken: telegramBotToken, chatId: '@localpostnews' });
    assert.equal(account.handle, telegramChat.title);
    app.close();
  });

  it('trouble at Telegram while checking the chat says so, instead of asking to add the bot to the chat', async () => {
    const app = await start();
    mocks.answerNext('telegram', { status: 200, body: { ok: true, result: { id: 987654321, is_bot: true, first_name: 'Localpost', username: 'localpost_test_bot' } } });
    mocks.answerNext('telegram', { status: 502, body: { ok: false, error_code: 502, description: 'Bad Gateway' } });
    await assert.rejects(app.call('accounts.connect', { platform: 'telegram', botToken: telegramBotToken, chatId: '@localpostnews' }), (error: any) => {
      assert.equal(error.code, 'platform_rejected');
      assert.equal(error.error.message, 'Telegram had a problem (Bad Gateway).');
      assert.match(error.error.action, /tries again by itself/);
      return true;
    });
    assert.deepEqual(await app.call('accounts.list', {}), []);
    app.close();
  });

  it('sends text, a photo with a caption, and a media group with the caption first', async () => {
    const app = await start();
    const { account } = await app.call('accounts.connect', { platform: 'telegram', botToken: telegramBotToken, chatId: String(telegramChat.id) });
    const text = await publish(app, [account.id], 'Plain text');
    assert.match(text.post.targets[0]!.url!, /^https:\/\/t\.me\/localpostnews\/\d+$/);
    assert.match(lastRequest('telegram').path, /sendMessage$/);
    await publish(app, [account.id], 'One photo', [{ alt: 'a' }]);
    assert.match(lastRequest('telegram').path, /sendPhoto$/);
    assert.equal(lastRequest('telegram').body.caption, 'One photo');
    await publish(app, [account.id], 'Album', [{ alt: 'a' }, { alt: 'b' }]);
    const group = lastRequest('telegram');
    assert.match(group.path, /sendMediaGroup$/);
    const media = JSON.parse(String(group.body.media));
    assert.deepEqual(media.map((m: { caption?: string }) => m.caption), ['Album', undefined]);
    assert.equal((group.body.photo1 as { type: string }).type, 'image/png');
    app.close();
  });

  it("a photo gone from the post's folder before it goes out: the post fails saying so, and is not retried as a network failure", async () => {
    const app = await start();
    const { account } = await app.call('accounts.connect', { platform: 'telegram', botToken: telegramBotToken, chatId: String(telegramChat.id) });
    app.setOnline(false);
    const { post } = await publish(app, [account.id], 'A photo that went missing', [{ alt: 'a' }]);
    assert.equal(post.targets[0]!.status, 'queued');
    fs.rmSync(path.join(app.dataDir, 'media', 'posts', post.id), { recursive: true, force: true });
    const sent = mocks.requests.filter((r) => r.platform === 'telegram').length;
    app.setOnline(true);
    const failed = await settled(app, post.id, (p) => p.targets[0]!.status !== 'queued' && p.targets[0]!.status !== 'publishing');
    const target = failed.targets[0]!;
    assert.equal(target.status, 'failed_permanent', JSON.stringify(target.error));
    assert.equal(target.error?.code, 'not_found', JSON.stringify(target.error));
    assert.match(target.error?.message ?? '', /no longer there/);
    assert.equal(target.attempts, 1, 'tried once: trying again cannot bring the file back');
    assert.equal(mocks.requests.filter((r) => r.platform === 'telegram').length, sent, 'nothing was sent to Telegram');
    app.close();
  });

  it('a caption over 1024 characters is refused by preflight; a 429 carries retry_after', async () => {
    const app = await start();
    const { account } = await app.call('accounts.connect', { platform: 'telegram', botToken: telegramBotToken, chatId: '@localpostnews' });
    await assert.rejects(publish(app, [account.id], 'x'.repeat(1025), [{ alt: 'a' }]), (error: any) => /length\.max/.test(error.message));
    mocks.answerNext('telegram', { status: 429, body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 7', parameters: { retry_after: 7 } } });
    const { post } = await publish(app, [account.id], 'Slow down');
    assert.equal(post.targets[0]!.error?.code, 'rate_limited');
    assert.ok(post.targets[0]!.error!.retryAt! > Date.now() + 5000);
    app.close();
  });
});

describe('several platforms at once', () => {
  it('fans out to Discord, Slack and Telegram; one failure touches nothing else', async () => {
    const app = await start();
    const ids = [
      (await app.call('accounts.connect', { platform: 'discord', webhookUrl: discordWebhookUrl })).account.id,
      (await app.call('accounts.connect', { platform: 'slack', webhookUrl: slackWebhookUrl, label: '#general' })).account.id,
      (await app.call('accounts.connect', { platform: 'telegram', botToken: telegramBotToken, chatId: '@localpostnews' })).account.id,
    ];
    mocks.answerNext('slack', { status: 410, body: 'channel_is_archived' });
    const { post } = await publish(app, ids, 'Everywhere at once');
    const byHandle = Object.fromEntries(post.targets.map((t) => [t.handle, t]));
    assert.equal(byHandle.announcements!.status, 'published');
    assert.equal(byHandle[telegramChat.title]!.status, 'published');
    assert.equal(byHandle['#general']!.status, 'failed_permanent');
    assert.equal(byHandle['#general']!.error!.code, 'platform_rejected');
    assert.match(byHandle['#general']!.error!.message, /archived/);

    // Retry sends the failed target again, and only it.
    const requestsBefore = mocks.requests.length;
    await app.call('outbox.retry', { postId: post.id });
    await app.core.outbox.idle();
    const [retried] = await app.call('history.list', {});
    assert.deepEqual(retried!.targets.map((t) => t.status), ['published', 'published', 'published']);
    assert.deepEqual(mocks.requests.slice(requestsBefore).map((r) => r.platform), ['slack']);
    app.close();
  });

  it('webhook URLs and bot tokens never leave the vault', async () => {
    const app = await start();
    await app.call('accounts.connect', { platform: 'discord', webhookUrl: discordWebhookUrl });
    await app.call('accounts.connect', { platform: 'slack', webhookUrl: slackWebhookUrl, label: '#general' });
    await app.call('accounts.connect', { platform: 'telegram', botToken: telegramBotToken, chatId: '@localpostnews' });
    mocks.answerNext('discord', { status: 400, body: { message: `Invalid Form Body at ${discordWebhookUrl}`, code: 50035 } });
    await publish(app, (await app.call('accounts.list', {})).map((a) => a.id), 'Secrets stay put');
    await app.call('history.list', {});
    const secrets = [discordWebhook.token, new URL(slackWebhookUrl).pathname.split('/').pop()!, telegramBotToken.split(':')[1]!];
    for (const message of app.traffic) {
      for (const secret of secrets) assert.ok(!message.includes(secret), `a secret crossed the bridge: ${message.slice(0, 200)}`);
    }
    app.close();
    for (const entry of fs.readdirSync(app.dataDir, { recursive: true })) {
      const file = path.join(app.dataDir, entry.toString());
      if (!fs.statSync(file).isFile()) continue;
      const content = fs.readFileSync(file).toString('latin1');
      for (const secret of secrets) assert.ok(!content.includes(secret), `a secret in ${file}`);
    }
  });
});
