// The addresses Localpost builds in the user's bucket: path or virtual-host style, endpoints it
// accepts (https, or http on this computer only), and a presigned GET that carries its signature
// and expiry in its query, signed at the core's clock.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { S3Bucket } from '../../src-main/core/mediaStorage/s3Bucket';
import { normaliseEndpoint } from '../../src-main/core/mediaStorage/mediaStorageStore';

const config = { endpoint: 'https://s3.eu-west-1.amazonaws.com', region: 'eu-west-1', bucket: 'my-media', pathStyle: false, accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret-example-0123456789' };
const clock = { now: () => Date.UTC(2026, 0, 2, 3, 4, 5, 678) };
const noFetch = (() => Promise.reject(new Error('no request in this test'))) as typeof fetch;

describe('S3 bucket addresses', () => {
  it('puts the bucket in the host (virtual-host style) or in the path (path style)', () => {
    assert.equal(new S3Bucket(config, noFetch, clock).objectUrl('localpost/a b').href, 'https://my-media.s3.eu-west-1.amazonaws.com/localpost/a%20b');
    assert.equal(new S3Bucket({ ...config, pathStyle: true }, noFetch, clock).objectUrl('localpost/x').href, 'https://s3.eu-west-1.amazonaws.com/my-media/localpost/x');
  });

  it('presigns a GET with the signature and expiry in its query, signed at the clock', async () => {
    const { url, expiresAt } = await new S3Bucket(config, noFetch, clock).presignGet('localpost/x', 900);
    const query = new URL(url).searchParams;
    assert.equal(query.get('X-Amz-Algorithm'), 'AWS4-HMAC-SHA256');
    assert.equal(query.get('X-Amz-Date'), '20260102T030405Z');
    assert.equal(query.get('X-Amz-Expires'), '900');
    assert.equal(query.get('X-Amz-Credential'), 'AKIDEXAMPLE/20260102/eu-west-1/s3/aws4_request');
    assert.match(query.get('X-Amz-Signature') ?? '', /^[0-9a-f]{64}$/);
    assert.ok(!url.includes(config.secretAccessKey));
    assert.equal(expiresAt, Date.UTC(2026, 0, 2, 3, 4, 5) + 900_000);
  });

  it('accepts https endpoints, and plain http on this computer only', () => {
    assert.equal(normaliseEndpoint('https://s3.eu-west-1.amazonaws.com/'), 'https://s3.eu-west-1.amazonaws.com');
    assert.equal(normaliseEndpoint('abc.r2.cloudflarestorage.com'), 'https://abc.r2.cloudflarestorage.com');
    assert.equal(normaliseEndpoint('http://127.0.0.1:9000'), 'http://127.0.0.1:9000');
    assert.equal(normaliseEndpoint('http://localhost:9000'), 'http://localhost:9000');
    for (const endpoint of ['http://s3.example.com', 'http://192.168.1.5:9000', 'ftp://127.0.0.1', 'https://s3.example.com/bucket', 'https://s3.example.com?x=1', 'https://u:p@s3.example.com', 'not a url']) {
      assert.throws(() => normaliseEndpoint(endpoint), { code: 'invalid_input' }, endpoint);
    }
  });
});
