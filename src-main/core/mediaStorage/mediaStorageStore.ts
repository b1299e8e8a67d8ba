// The user's own S3-compatible bucket (AWS S3, Cloudflare R2, Backblaze B2, MinIO, Wasabi), kept in
// the vault as one JSON value under `media-storage`, like a developer app: the secret access key is
// a secret, and the endpoint, bucket and key id travel with it so that a lost vault loses the
// bucket as a whole, never half of it. The renderer sees `hasSecretAccessKey`, never the key.
import type { MediaStorage, MediaStorageInput } from '../../../src-preload/contract';
import { AppError } from '../errors';
import { registerSecret } from '../log/redact';
import type { Vault } from '../vault/vault';

export const mediaStorageVaultKey = 'media-storage';

/** What the vault keeps for the bucket. */
export interface BucketConfig {
  /** Normalised: scheme and host (and port), no path, no trailing slash. */
  endpoint: string;
  region: string;
  bucket: string;
  pathStyle: boolean;
  accessKeyId: string;
  secretAccessKey: string;
}

export class MediaStorageStore {
  constructor(private readonly vault: Vault) {}

  read(): BucketConfig | null {
    const raw = this.vault.get(mediaStorageVaultKey);
    if (!raw) return null;
    const config = JSON.parse(raw) as BucketConfig;
    registerSecret(config.secretAccessKey);
    return config;
  }

  /** The saved bucket, or `media_storage_missing`. */
  require(): BucketConfig {
    const config = this.read();
    if (!config) {
      throw new AppError('media_storage_missing', 'No media storage is set up.', {
        action: 'Open Settings → Media storage and fill in your bucket.',
      });
    }
    return config;
  }

  /** The bucket as `save` would keep it, checked the same way, without keeping it (to test it first). */
  withChanges(input: MediaStorageInput): BucketConfig {
    const secretAccessKey = input.secretAccessKey ?? this.read()?.secretAccessKey;
    if (!secretAccessKey) {
      throw new AppError('invalid_input', 'The secret access key is missing.', { action: 'Paste the secret access key your provider gave with the key id.' });
    }
    registerSecret(secretAccessKey);
    const endpoint = normaliseEndpoint(input.endpoint);
    // Virtual-host style puts the bucket's name in front of the host name; an address has none.
    if (!input.pathStyle && /^(\d+\.){3}\d+$|^\[/.test(new URL(endpoint).hostname)) {
      throw new AppError('invalid_input', 'An endpoint given by its IP address needs path-style addresses.', { action: 'Turn on path-style addresses.' });
    }
    return {
      endpoint,
      region: input.region,
      bucket: input.bucket,
      pathStyle: input.pathStyle,
      accessKeyId: input.accessKeyId,
      secretAccessKey,
    };
  }

  save(input: MediaStorageInput): BucketConfig {
    const config = this.withChanges(input);
    this.vault.put(mediaStorageVaultKey, JSON.stringify(config));
    return config;
  }

  remove(): void {
    this.vault.delete(mediaStorageVaultKey);
  }

  describe(): MediaStorage | null {
    const config = this.read();
    return config && describeBucket(config);
  }
}

export function describeBucket(config: BucketConfig): MediaStorage {
  return {
    endpoint: config.endpoint,
    region: config.region,
    bucket: config.bucket,
    pathStyle: config.pathStyle,
    accessKeyId: config.accessKeyId,
    hasSecretAccessKey: Boolean(config.secretAccessKey),
  };
}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * https, or plain http on this computer only (a local MinIO, a self-hosted gateway): the keys sign
 * every request, and the presigned addresses handed to platforms must not be readable on the way.
 */
export function normaliseEndpoint(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint) ? endpoint : `https://${endpoint}`);
  } catch {
    throw invalidEndpoint(endpoint);
  }
  const local = url.protocol === 'http:' && loopbackHosts.has(url.hostname);
  if ((url.protocol !== 'https:' && !local) || url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
    throw invalidEndpoint(endpoint);
  }
  return url.origin;
}

function invalidEndpoint(endpoint: string): AppError {
  return new AppError('invalid_input', `“${endpoint.slice(0, 100)}” is not an endpoint Localpost can use.`, {
    action: 'Give the provider’s S3 endpoint with https (https://s3.eu-west-1.amazonaws.com, https://<account>.r2.cloudflarestorage.com); plain http only on this computer (http://127.0.0.1:9000).',
  });
}
