// Instagram's token renewal (TokenPolicy.renew) for both kinds of account, and the credential
// extra the Facebook Pages platform saves for an Instagram account linked to a Page.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../src-main/core/errors';
import { renewInstagramToken } from '../../src-main/core/platforms/instagram/instagramAdapter';
import { facebookLoginInstagramExtra } from '../../src-main/core/platforms/meta/linkedInstagram';

const hour = 3_600_000;
const now = Date.UTC(2026, 0, 10);
const tokenUrl = 'https://api.instagram.com/oauth/access_token';

function recordingFetch(answer: unknown = { access_token: 'IGLLnew', token_type: 'bearer', expires_in: 5_184_000 }) {
  const urls: string[] = [];
  const fetch = async (url: string | URL | Request) => {
    urls.push(String(url));
    return new Response(JSON.stringify(answer), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  return { urls, fetch: fetch as typeof globalThis.fetch };
}

describe('Instagram token renewal', () => {
  it('renews an Instagram Login token a day old or more with ig_refresh_token on graph.instagram.com', async () => {
    const { urls, fetch } = recordingFetch();
    const renewed = await renewInstagramToken({ accessToken: 'IGLLold', scope: 's', tokenType: 'bearer', obtainedAt: now - 25 * hour, expiresAt: now + 30 * 24 * hour }, { fetch, now, tokenUrl });
    assert.equal(renewed.accessToken, 'IGLLnew');
    assert.equal(renewed.expiresAt, now + 5_184_000_000);
    const url = new URL(urls[0]!);
    assert.equal(url.origin + url.pathname, 'https://graph.instagram.com/refresh_access_token');
    assert.equal(url.searchParams.get('grant_type'), 'ig_refresh_token');
    assert.equal(url.searchParams.get('access_token'), 'IGLLold');
  });

  it('asks nothing for a token younger than a day, and says when it may', async () => {
    const { urls, fetch } = recordingFetch();
    await assert.rejects(
      renewInstagramToken({ accessToken: 'IGLLold', scope: 's', tokenType: 'bearer', obtainedAt: now - 2 * hour, expiresAt: now + 30 * 24 * hour }, { fetch, now, tokenUrl }),
      (error: unknown) => error instanceof AppError && error.retryAt === now + 22 * hour,
    );
    assert.deepEqual(urls, []);
  });

  it('refuses cleanly to renew a Facebook Page’s token, which never expires', async () => {
    const { urls, fetch } = recordingFetch();
    await assert.rejects(
      renewInstagramToken({ accessToken: 'EAAPpage', scope: 's', tokenType: 'bearer', obtainedAt: now - 90 * 24 * hour }, { fetch, now, tokenUrl: 'https://graph.facebook.com/v24.0/oauth/access_token' }),
      (error: unknown) => error instanceof AppError && error.code === 'platform_rejected' && /Facebook/.test(error.action ?? '') && error.retryAt === undefined,
    );
    assert.deepEqual(urls, [], 'nothing sent to Meta');
  });

  it('builds the extra of an Instagram account reached through a Facebook Page', () => {
    assert.deepEqual(facebookLoginInstagramExtra('17841400000000042'), { login: 'facebook', userId: '17841400000000042' });
    assert.throws(() => facebookLoginInstagramExtra('../me'), (error: unknown) => error instanceof AppError && error.code === 'invalid_input');
  });
});
