// The few S3 requests Localpost makes in the user's bucket (PutObject, DeleteObject, and a presigned
// GetObject address for a platform), signed with AWS Signature Version 4 by aws4fetch and sent
// through the core's one HTTP path. Failures carry S3's own error code (the `<Code>` of the error
// document, docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html), in words the user acts on.
import { AwsV4Signer } from 'aws4fetch';
import { AppError } from '../errors';
import { streamedRequest, type StreamedBody } from '../http/fileRangeBody';
import type { Clock, HttpFetch } from '../ports';
import type { BucketConfig } from './mediaStorageStore';

export class S3Bucket {
  constructor(
    private readonly config: BucketConfig,
    private readonly fetch: HttpFetch,
    private readonly clock: Clock,
  ) {}

  /** Which bucket this is, for the record of objects put there. */
  get ref(): string {
    return `${this.config.endpoint}/${this.config.bucket}`;
  }

  /** Path style `endpoint/bucket/key`, or virtual-host style `bucket.endpoint/key`
   *  (docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html). */
  objectUrl(key: string): URL {
    const endpoint = new URL(this.config.endpoint);
    const path = key.split('/').map(encodeURIComponent).join('/');
    if (this.config.pathStyle) return new URL(`${endpoint.origin}/${this.config.bucket}/${path}`);
    return new URL(`${endpoint.protocol}//${this.config.bucket}.${endpoint.host}/${path}`);
  }

  /** PutObject in one request with its exact length, streamed (S3 takes up to 5 GB this way:
   *  docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html). The payload is not hashed into
   *  the signature (`UNSIGNED-PAYLOAD`): hashing would read the whole file once more before sending. */
  async put(key: string, body: StreamedBody, contentType: string): Promise<void> {
    const signed = await this.signer('PUT', this.objectUrl(key), {
      'content-type': contentType,
      'content-length': String(body.length),
      'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
    }).sign();
    const response = await this.send(signed.url, { method: 'PUT', ...streamedRequest(body, headersOf(signed.headers)) }, body);
    await expectOk(response, 'write to');
  }

  /** DeleteObject; an object already gone counts as deleted (S3 answers 204 either way). */
  async delete(key: string): Promise<void> {
    const signed = await this.signer('DELETE', this.objectUrl(key), { 'x-amz-content-sha256': emptyBodyHash }).sign();
    const response = await this.send(signed.url, { method: 'DELETE', headers: signed.headers, redirect: 'error' });
    if (response.status === 404 && (await s3ErrorCode(response)) === 'NoSuchKey') return;
    await expectOk(response, 'delete from');
  }

  /** A GetObject address anyone holding it may fetch until it expires, signed in its query
   *  (docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html); S3 caps it at a week. */
  async presignGet(key: string, expiresInSeconds: number): Promise<{ url: string; expiresAt: number }> {
    const url = this.objectUrl(key);
    url.searchParams.set('X-Amz-Expires', String(expiresInSeconds));
    // X-Amz-Date has whole seconds; the address expires that many seconds after it.
    const signedAt = Math.floor(this.clock.now() / 1000) * 1000;
    const signed = await this.signer('GET', url, {}, true, signedAt).sign();
    return { url: signed.url.toString(), expiresAt: signedAt + expiresInSeconds * 1000 };
  }

  private signer(method: string, url: URL, headers: Record<string, string>, signQuery = false, at = this.clock.now()): AwsV4Signer {
    return new AwsV4Signer({
      // `YYYYMMDDTHHMMSSZ`, the ISO 8601 basic format SigV4 signs with.
      datetime: new Date(at).toISOString().replace(/[:-]|\.\d{3}/g, ''),
      method,
      url: url.toString(),
      headers,
      accessKeyId: this.config.accessKeyId,
      secretAccessKey: this.config.secretAccessKey,
      service: 's3',
      region: this.config.region,
      ...(signQuery ? { signQuery: true } : {}),
    });
  }

  private async send(url: URL, init: RequestInit, body?: StreamedBody): Promise<Response> {
    try {
      return await this.fetch(url, init);
    } catch (error) {
      if (body?.failure) throw body.failure;
      throw error;
    }
  }
}

/** SHA-256 of no bytes, the payload hash of a request without a body. */
const emptyBodyHash = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

function headersOf(headers: Headers): Record<string, string> {
  return Object.fromEntries(headers.entries());
}

/** S3's error code from an error answer's XML body, if it has one. */
export async function s3ErrorCode(response: Response): Promise<string | undefined> {
  const text = await response.text().catch(() => '');
  return /<Code>([^<]{1,100})<\/Code>/.exec(text)?.[1];
}

async function expectOk(response: Response, verb: string): Promise<void> {
  if (response.ok) {
    await response.body?.cancel();
    return;
  }
  throw bucketFailure(response.status, await s3ErrorCode(response), verb);
}

/** An S3 failure as an AppError; `verb` says what was tried ("write to", "delete from", "read from"). */
export function bucketFailure(status: number, code: string | undefined, verb: string): AppError {
  const what = `The bucket refused to let Localpost ${verb} it`;
  switch (code) {
    case 'InvalidAccessKeyId':
      return new AppError('media_storage_rejected', `${what}: it does not know this access key id (InvalidAccessKeyId).`, {
        action: 'Check the access key id, or create a new key pair at your provider.',
      });
    case 'SignatureDoesNotMatch':
      return new AppError('media_storage_rejected', `${what}: the secret access key does not match the key id (SignatureDoesNotMatch).`, {
        action: 'Paste the secret access key again, exactly as your provider gave it.',
      });
    case 'AccessDenied':
      return new AppError('media_storage_rejected', `${what}: the key is not allowed to (AccessDenied).`, {
        action: 'Give the key permission to put, get and delete objects in this bucket.',
      });
    case 'NoSuchBucket':
      return new AppError('media_storage_rejected', `There is no such bucket at this endpoint (NoSuchBucket).`, {
        action: 'Check the bucket’s name, the endpoint and path or virtual-host style.',
      });
    case 'AuthorizationHeaderMalformed':
    case 'PermanentRedirect':
    case 'IllegalLocationConstraintException':
      return new AppError('media_storage_rejected', `${what}: the bucket is in another region (${code}).`, {
        action: 'Check the region (for Cloudflare R2, `auto`).',
      });
    default: {
      const transient = status >= 500;
      return new AppError(transient ? 'network_unreachable' : 'media_storage_rejected', `${what} (HTTP ${status}${code ? `, ${code}` : ''}).`, {
        action: transient ? 'The storage provider had a problem; try again in a moment.' : 'Check the endpoint, region and bucket.',
        transient,
      });
    }
  }
}
