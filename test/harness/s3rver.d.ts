// The part of s3rver 3.7.1's API the tests use (it ships no types): lib/s3rver.js and
// lib/stores/filesystem.js.
declare module 's3rver' {
  import type { AddressInfo } from 'node:net';

  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    configureBuckets?: { name: string }[];
    allowMismatchedSignatures?: boolean;
  }

  export default class S3rver {
    constructor(options?: S3rverOptions);
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
    store: { listObjects(bucket: string, options: { prefix?: string }): Promise<{ objects: { key: string }[] }> };
  }
}
