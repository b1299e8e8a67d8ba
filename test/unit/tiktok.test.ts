// TikTok's pure parts: the post options' checks (src-shared/tiktok.ts), its error envelope read into
// stable codes (tiktokErrors.ts), and the OAuth engine's client-id naming that TikTok's `client_key` needs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as oauth from 'oauth4webapi';
import { clientAuthentication } from '../../src-main/core/oauth/oauthClient';
import { tiktokErrorOf, tiktokRefusal } from '../../src-main/core/platforms/tiktok/tiktokErrors';
import type { PreflightVideo } from '../../src-shared/compose/videoLimits';
import { checkTikTokFields, emptyTikTokFields, tiktokDeclaration, type TikTokCreator, type TikTokFields } from '../../src-shared/tiktok';

const creator: TikTokCreator = {
  nickname: 'N',
  username: 'n',
  avatarUrl: null,
  privacyLevels: ['FOLLOWER_OF_CREATOR', 'SELF_ONLY'],
  commentDisabled: false,
  duetDisabled: false,
  stitchDisabled: false,
  maxVideoSeconds: 60,
  onlyPrivate: false,
  fetchedAt: 0,
};
const video: PreflightVideo = { container: 'mp4', videoCodec: 'avc', audioCodec: 'aac', durationSeconds: 30, width: 1080, height: 1920, frameRate: 30, bytes: 10_000_000, alt: '' };
const fields = (change: Partial<TikTokFields>): TikTokFields => ({ ...emptyTikTokFields, creators: { a1: creator }, privacy: { a1: 'SELF_ONLY' }, ...change });
const ids = (f: TikTokFields | undefined, v: PreflightVideo | null = video) => checkTikTokFields(f, 'a1', '@n', v).map((issue) => issue.ruleId);

describe('TikTok post options, as preflight checks them', () => {
  it('passes a chosen audience the creator offers, for a video within the creator’s length', () => {
    assert.deepEqual(ids(fields({})), []);
  });
  it('asks for creator_info first, then an audience (no default), one the creator offers', () => {
    assert.deepEqual(ids(undefined), ['tiktok.creator_info']);
    assert.deepEqual(ids(fields({ privacy: {} })), ['tiktok.privacy_level']);
    assert.deepEqual(ids(fields({ privacy: { a1: 'PUBLIC_TO_EVERYONE' } })), ['tiktok.privacy_level']);
  });
  it('needs a video no longer than max_video_post_duration_sec', () => {
    assert.deepEqual(ids(fields({}), null), ['tiktok.video_required']);
    assert.deepEqual(ids(fields({}), { ...video, durationSeconds: 60.5 }), ['tiktok.duration']);
    assert.deepEqual(ids(fields({}), { ...video, durationSeconds: 60 }), []);
  });
  it('a disclosure must say what it is, and branded content cannot be private', () => {
    assert.deepEqual(ids(fields({ disclose: true })), ['tiktok.disclosure']);
    assert.deepEqual(ids(fields({ disclose: true, yourBrand: true })), []);
    assert.deepEqual(ids(fields({ disclose: true, brandedContent: true })), ['tiktok.branded_private']);
    assert.deepEqual(ids(fields({ disclose: true, brandedContent: true, privacy: { a1: 'FOLLOWER_OF_CREATOR' } })), []);
    assert.match(tiktokDeclaration({ disclose: true, brandedContent: true }), /Branded Content Policy and Music Usage Confirmation/);
    assert.match(tiktokDeclaration({ disclose: false, brandedContent: true }), /^By posting, you agree to TikTok’s Music Usage Confirmation\.$/);
  });
});

describe('TikTok’s error envelope', () => {
  const refusal = (code: string, status = 400) => tiktokRefusal(tiktokErrorOf({ data: {}, error: { code, message: `m ${code}`, log_id: 'L1' } }), status, new Headers(), 1_000);
  it('reads "ok" as no error', () => {
    assert.equal(tiktokErrorOf({ data: {}, error: { code: 'ok', message: '', log_id: 'x' } }), null);
  });
  it('gives each code its stable Localpost code, TikTok’s code and log id in the message', () => {
    assert.equal(refusal('access_token_invalid', 401).code, 'platform_auth_failed');
    assert.equal(refusal('rate_limit_exceeded', 429).code, 'rate_limited');
    const daily = refusal('spam_risk_too_many_posts', 403);
    assert.equal(daily.code, 'rate_limited');
    assert.equal(daily.retryAt, 1_000 + 24 * 60 * 60_000);
    const unaudited = refusal('unaudited_client_can_only_post_to_private_accounts', 403);
    assert.equal(unaudited.code, 'platform_rejected');
    assert.match(unaudited.action ?? '', /make the ACCOUNT private/);
    assert.match(unaudited.message, /TikTok: unaudited_client_can_only_post_to_private_accounts, log id L1/);
    assert.equal(refusal('privacy_level_option_mismatch').code, 'platform_rejected');
    assert.equal(refusal('duration_check_failed').code, 'media_unsupported');
    const down = refusal('internal_error', 500);
    assert.equal(down.code, 'platform_rejected');
    assert.equal(down.transient, true);
  });
});

describe('the OAuth engine’s client id parameter', () => {
  const server: oauth.AuthorizationServer = { issuer: 'https://example.test' };
  it('names the client id as the platform does, with the secret in the body', async () => {
    const body = new URLSearchParams();
    const headers = new Headers();
    await clientAuthentication({ clientId: 'ck', clientSecret: 's3', clientAuthMethod: 'client_secret_post', clientIdParameter: 'client_key' })(server, { client_id: 'ck' }, body, headers);
    assert.deepEqual(Object.fromEntries(body), { client_key: 'ck', client_secret: 's3' });
    assert.equal(headers.get('authorization'), null);
  });
  it('stays RFC 6749’s client_id otherwise', async () => {
    const body = new URLSearchParams();
    await clientAuthentication({ clientId: 'ci', clientSecret: 's3', clientAuthMethod: 'client_secret_post' })(server, { client_id: 'ci' }, body, new Headers());
    assert.deepEqual(Object.fromEntries(body), { client_id: 'ci', client_secret: 's3' });
  });
});
