import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeHandle, normalizeService, postWebUrl } from '../../src-main/core/platforms/bluesky/identity';
import { looksLikeAppPassword } from '../../src-shared/platforms';

describe('Bluesky handles and hosting providers', () => {
  it('drops a leading @, trims and folds case', () => {
    assert.equal(normalizeHandle('  @Alice.BSKY.social '), 'alice.bsky.social');
  });

  it('names the fix for a handle without a domain', () => {
    assert.throws(() => normalizeHandle('@alice'), (error: any) => error.code === 'invalid_handle' && /alice\.bsky\.social/.test(error.action));
    assert.throws(() => normalizeHandle(''), { code: 'invalid_handle' });
    assert.throws(() => normalizeHandle('al ice.bsky.social'), { code: 'invalid_handle' });
    assert.throws(() => normalizeHandle('alice.123'), { code: 'invalid_handle' });
  });

  it('accepts any https provider, and http only on this machine', () => {
    assert.equal(normalizeService(''), 'https://bsky.social');
    assert.equal(normalizeService('pds.example.com/'), 'https://pds.example.com');
    assert.equal(normalizeService('http://localhost:2583'), 'http://localhost:2583');
    assert.equal(normalizeService('http://127.0.0.1:2583'), 'http://127.0.0.1:2583');
    assert.throws(() => normalizeService('http://pds.example.com'), { code: 'invalid_service_url' });
    assert.throws(() => normalizeService('ftp://pds.example.com'), { code: 'invalid_service_url' });
    assert.throws(() => normalizeService('https://user:pw@pds.example.com'), { code: 'invalid_service_url' });
  });

  it('a name that merely starts with 127. is not this machine: no plain http for it', () => {
    for (const service of ['http://127.evil.com', 'http://127.0.0.1.nip.io', 'http://127.0.0.1.evil.example:2583']) {
      assert.throws(() => normalizeService(service), { code: 'invalid_service_url' }, service);
    }
    assert.equal(normalizeService('http://[::1]:2583'), 'http://[::1]:2583');
    assert.equal(normalizeService('http://127.1:2583'), 'http://127.0.0.1:2583');
  });

  it('recognises the app-password shape', () => {
    assert.equal(looksLikeAppPassword('abcd-efgh-ijkl-mnop'), true);
    assert.equal(looksLikeAppPassword('my main password'), false);
  });

  it('links bsky.social posts to bsky.app and leaves other hosts to their at:// URI', () => {
    const uri = 'at://did:plc:abc/app.bsky.feed.post/3kxyz';
    assert.equal(postWebUrl('https://bsky.social', uri), 'https://bsky.app/profile/did:plc:abc/post/3kxyz');
    assert.equal(postWebUrl('https://pds.example.com', uri), null);
  });
});
