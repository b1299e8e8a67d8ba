// The S3 front's own signature check against AWS's published examples, so that the tests' verdicts
// on Localpost's signatures rest on the algorithm as documented, not on the signer being tested:
// docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html ("Example: GET Object")
// and docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html (the presigned example).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { verifySignature } from './s3Server';

const keys = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', region: 'us-east-1' };
const emptyHash = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

describe('the S3 front checks SigV4 as AWS documents it', () => {
  const getObject = (signature: string) => ({
    method: 'GET',
    url: '/test.txt',
    headers: {
      host: 'examplebucket.s3.amazonaws.com',
      range: 'bytes=0-9',
      'x-amz-content-sha256': emptyHash,
      'x-amz-date': '20130524T000000Z',
      authorization: `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=${signature}`,
    },
  });

  it("accepts AWS's GET Object example, and refuses it with one digit changed or another secret", () => {
    const signature = 'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41';
    assert.equal(verifySignature(getObject(signature), keys), null);
    assert.equal(verifySignature(getObject(signature.replace(/^f/, 'e')), keys)?.code, 'SignatureDoesNotMatch');
    assert.equal(verifySignature(getObject(signature), { ...keys, secretAccessKey: 'another' })?.code, 'SignatureDoesNotMatch');
    assert.equal(verifySignature(getObject(signature), { ...keys, accessKeyId: 'AKIAOTHER' })?.code, 'InvalidAccessKeyId');
    assert.equal(verifySignature(getObject(signature), { ...keys, region: 'eu-west-1' })?.code, 'AuthorizationHeaderMalformed');
  });

  it("accepts AWS's presigned GET example", () => {
    const query =
      'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host';
    const signature = 'aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404';
    const request = (sig: string) => ({ method: 'GET', url: `/test.txt?${query}&X-Amz-Signature=${sig}`, headers: { host: 'examplebucket.s3.amazonaws.com' } });
    assert.equal(verifySignature(request(signature), keys), null);
    assert.equal(verifySignature(request(signature.replace(/^a/, 'b')), keys)?.code, 'SignatureDoesNotMatch');
  });

  it('refuses a request without a signature: the bucket is private', () => {
    assert.equal(verifySignature({ method: 'GET', url: '/test.txt', headers: { host: 'examplebucket.s3.amazonaws.com' } }, keys)?.code, 'AccessDenied');
  });
});
