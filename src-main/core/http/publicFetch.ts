// The one way the core fetches a URL on the user's behalf, that is a URL neither Localpost nor a
// platform chose (a link's page and its og:image, for link cards). Such a URL is untrusted:
//  - its host is resolved here, and the request is refused when ANY address it resolves to is not
//    public (addressPolicy), so a name with one public and one private record cannot be used;
//  - the connection goes to exactly the address that was checked (Node's `lookup` option answers
//    with it; nothing resolves the name a second time), so DNS rebinding cannot swap it;
//  - redirects are followed here, at most 5, each hop checked again, and only to http or https;
//  - the body is capped and the whole fetch, redirects included, has one deadline (the caller's
//    signal);
//  - the user agent is a browser's, so a page cannot single out Localpost and show it something
//    other than what the user's browser sees.
//
// Every request goes through `send` (Node's http/https by default). A test passes its own to see
// every request the app makes for the user, or to answer without a network.
import type https from 'node:https';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { AppError } from '../errors';
import type { NetworkState } from '../ports';
import { describeNonPublic, type AddressPolicy, type ResolvedAddress } from './addressPolicy';

export interface PinnedRequest {
  url: URL;
  /** The checked address the connection must go to. */
  address: ResolvedAddress;
  headers: Record<string, string>;
  signal: AbortSignal;
}

export interface PinnedResponse {
  status: number;
  /** Lower-case names, as Node gives them. */
  headers: Record<string, string | string[] | undefined>;
  body: Readable;
}

/** Sends one GET to `request.address`, with the URL's host name for Host and TLS (SNI, cert). */
export type SendPinned = (request: PinnedRequest) => Promise<PinnedResponse>;

export interface PublicFetchResult {
  /** Where the content really came from, after redirects. */
  url: string;
  status: number;
  /** The media type alone, lower case (`text/html`), or '' when the server sent none. */
  contentType: string;
  bytes: Buffer;
  /** The body went on past `maxBytes`; `bytes` holds its first `maxBytes`. */
  truncated: boolean;
}

export type PublicFetch = (url: string, options: { accept: string; maxBytes: number; signal: AbortSignal }) => Promise<PublicFetchResult>;

export const maxRedirects = 5;

// The user-agent reduced Chrome sends on desktop (every Chrome of a major version sends the same
// string), so a page sees what it would see from a browser.
const browserUserAgent = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

export function createPublicFetch(deps: { policy: AddressPolicy; network: NetworkState; send?: SendPinned }): PublicFetch {
  const send = deps.send ?? sendPinnedWithNode;
  return async function publicFetch(input, { accept, maxBytes, signal }) {
    let url = webUrl(input);
    for (let hop = 0; ; hop++) {
      if (!deps.network.isOnline()) throw new AppError('network_unreachable', 'This computer is offline.');
      const address = await checkedAddress(deps.policy, url, signal);
      const response = await send({
        url,
        address,
        headers: { accept, 'accept-encoding': 'gzip, deflate, br', 'accept-language': 'en', 'user-agent': browserUserAgent },
        signal,
      }).catch((error: unknown) => {
        throw new AppError('network_unreachable', signal.aborted ? `${url.host} did not answer in time.` : `Could not reach ${url.host}.`, { cause: error });
      });
      const location = header(response.headers, 'location');
      if ([301, 302, 303, 307, 308].includes(response.status) && location) {
        response.body.destroy();
        if (hop >= maxRedirects) throw new AppError('network_unreachable', `${url.host} redirected more than ${maxRedirects} times.`);
        url = webUrl(new URL(location, url).href);
        continue;
      }
      const { bytes, truncated } = await readCapped(decoded(response), maxBytes).catch((error: unknown) => {
        throw new AppError('network_unreachable', `${url.host} stopped answering.`, { cause: error });
      });
      const contentType = (header(response.headers, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      return { url: url.href, status: response.status, contentType, bytes, truncated };
    }
  };
}

function webUrl(input: string): URL {
  const url = URL.parse(input);
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new AppError('invalid_input', 'Only http and https web addresses are fetched.');
  }
  return url;
}

/** The address to connect to, once every address of the host has been found public. */
async function checkedAddress(policy: AddressPolicy, url: URL, signal: AbortSignal): Promise<ResolvedAddress> {
  // A DNS lookup cannot be cancelled, but the fetch's deadline still holds while it runs.
  const deadline = new Promise<never>((_resolve, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
  deadline.catch(() => {});
  const { addresses, nonPublic } = await Promise.race([policy.check(url), deadline]).catch((error: unknown) => {
    throw new AppError('network_unreachable', signal.aborted ? `${url.hostname} did not answer in time.` : `${url.hostname} was not found.`, { cause: error });
  });
  if (nonPublic) {
    throw new AppError('address_not_public', `${describeNonPublic(nonPublic)}, so Localpost does not fetch it.`, {
      action: 'Only pages on the public internet get a preview.',
    });
  }
  const first = addresses[0];
  if (!first) throw new AppError('network_unreachable', `${url.hostname} was not found.`);
  return first;
}

function header(headers: PinnedResponse['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The body as the server meant it: servers may compress even when asked not to. */
function decoded(response: PinnedResponse): Readable {
  const encoding = (header(response.headers, 'content-encoding') ?? '').trim().toLowerCase();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? zlib.createGunzip()
      : encoding === 'deflate'
        ? zlib.createInflate()
        : encoding === 'br'
          ? zlib.createBrotliDecompress()
          : null;
  if (!decoder) return response.body;
  response.body.on('error', (error) => decoder.destroy(error));
  return response.body.pipe(decoder);
}

/** Reads at most `cap` bytes (decoded, so a compressed bomb stops at the cap too). */
async function readCapped(body: Readable, cap: number): Promise<{ bytes: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
      if (size + buffer.length > cap) {
        chunks.push(buffer.subarray(0, cap - size));
        return { bytes: Buffer.concat(chunks), truncated: true };
      }
      chunks.push(buffer);
      size += buffer.length;
    }
  } finally {
    body.destroy();
  }
  return { bytes: Buffer.concat(chunks), truncated: false };
}

/**
 * Node's http/https, connecting to the checked address only: `lookup` answers with it instead of
 * asking DNS, while Host, SNI and certificate checks keep the URL's host name. No agent: a pooled
 * socket could belong to an earlier answer for the same host.
 */
export const sendPinnedWithNode: SendPinned = async ({ url, address, headers, signal }) => {
  // Node's HTTP client loads with the first page fetched, not with the app (megabytes an idle app never uses).
  const [{ default: http }, { default: https }] = await Promise.all([import('node:http'), import('node:https')]);
  return new Promise((resolve, reject) => {
    const hostname = url.hostname.replace(/^\[|\]$/g, '');
    const isName = hostname !== address.address;
    const pinnedLookup = (
      _host: string,
      options: { all?: boolean },
      callback: (error: Error | null, address: string | Array<{ address: string; family: number }>, family?: number) => void,
    ) => {
      if (options.all) callback(null, [{ address: address.address, family: address.family }]);
      else callback(null, address.address, address.family);
    };
    const options: https.RequestOptions = {
      method: 'GET',
      hostname,
      port: url.port || (url.protocol === 'https:' ? 443 : 80),
      path: `${url.pathname}${url.search}`,
      headers,
      signal,
      agent: false,
      lookup: pinnedLookup as unknown as https.RequestOptions['lookup'],
      ...(isName && url.protocol === 'https:' ? { servername: hostname } : {}),
    };
    const request = (url.protocol === 'https:' ? https : http).request(options, (response) => {
      resolve({ status: response.statusCode ?? 0, headers: response.headers, body: response });
    });
    request.on('error', reject);
    request.end();
  });
};
