// Where a platform may send the file: the upload addresses it answers with are held to what its
// own API is, and a session that gets the account's token to the API's own origin.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSameOrigin, isTrustedUploadAddress } from '../../src-main/core/http/uploadAddress';

describe('an upload address a platform answers with', () => {
  const remoteApi = 'https://api.linkedin.com';
  const localApi = 'http://127.0.0.1:4010';

  it('is trusted over https to any host, when the API is remote', () => {
    assert.equal(isTrustedUploadAddress('https://www.linkedin.com/dms-uploads/part-1', remoteApi), true);
    assert.equal(isTrustedUploadAddress('https://pinterest-media-upload.s3-accelerate.amazonaws.com/', remoteApi), true);
  });

  it('is refused over plain http, on this computer while the API is remote, with credentials in it, or when it is no address', () => {
    assert.equal(isTrustedUploadAddress('http://uploads.example.com/part', remoteApi), false);
    assert.equal(isTrustedUploadAddress('http://127.0.0.1:8080/part', remoteApi), false);
    assert.equal(isTrustedUploadAddress('https://localhost/part', remoteApi), false);
    assert.equal(isTrustedUploadAddress('https://[::1]/part', remoteApi), false);
    assert.equal(isTrustedUploadAddress('https://user:secret@uploads.example.com/part', remoteApi), false);
    assert.equal(isTrustedUploadAddress('not an address', remoteApi), false);
    assert.equal(isTrustedUploadAddress(42, remoteApi), false);
  });

  it('may be on this computer, over http, where the API itself is (a test or a developer stand-in)', () => {
    assert.equal(isTrustedUploadAddress('http://127.0.0.1:4011/s3', localApi), true);
    assert.equal(isTrustedUploadAddress('http://uploads.example.com/part', localApi), false, 'still not plain http elsewhere');
  });
});

describe('a session address that receives the token', () => {
  it('is only on the API’s own origin', () => {
    const api = 'https://www.googleapis.com';
    assert.equal(isSameOrigin('https://www.googleapis.com/upload/youtube/v3/videos?uploadType=resumable&upload_id=xa298', api), true);
    assert.equal(isSameOrigin('https://uploads.example.com/upload?upload_id=xa298', api), false);
    assert.equal(isSameOrigin('http://www.googleapis.com/upload', api), false, 'not over plain http');
    assert.equal(isSameOrigin('https://www.googleapis.com:8443/upload', api), false);
    assert.equal(isSameOrigin('https://evil@www.googleapis.com/upload', api), false);
  });
});
