// A contract mock of the one Bluesky endpoint whose answers the reference PDS cannot give on
// loopback, built from the documented shapes: createSession answering AuthFactorTokenRequired
// (lexicon com.atproto.server.createSession; only Bluesky's hosted entryway sends it), 429 with
// RateLimit-* headers (docs.bsky.app, rate limits), and AccountTakedown. It also answers as the
// PLC directory for the one account it signs in (`GET /<did>`, the DID document naming this server
// as its PDS), so the app's check of whose account a sign-in is passes as it would for real.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const emailCode = '123456';
const emailUserDid = 'did:plc:emailuser';

export interface BlueskyContractMock {
  url: string;
  /** LOCALPOST_PLC_URL: this mock, as the directory of its account's DID. */
  env: Record<string, string>;
  /** When a rate-limited sign-in may be retried, in seconds since the epoch. */
  rateLimitResetAt: number;
  close(): Promise<void>;
}

/** Handles: `busy.test` is rate limited, `takedown.test` taken down, any other asks for an email
 *  code and signs in once it is `emailCode`. */
export async function startBlueskyContractMock(): Promise<BlueskyContractMock> {
  const rateLimitResetAt = Math.floor(Date.now() / 1000) + 300;
  let url = '';
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const input = body ? (JSON.parse(body) as Record<string, string>) : {};
      const json = (status: number, value: unknown, headers: Record<string, string> = {}) =>
        response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(value));
      if (request.method === 'GET' && request.url === `/${encodeURIComponent(emailUserDid)}`) {
        return json(200, {
          id: emailUserDid,
          alsoKnownAs: ['at://email.test'],
          service: [{ id: '#atproto_pds', type: 'AtprotoPersonalDataServer', serviceEndpoint: url }],
        });
      }
      if (!request.url?.startsWith('/xrpc/com.atproto.server.createSession')) {
        return json(501, { error: 'MethodNotImplemented', message: 'Not part of this mock' });
      }
      if (input.identifier === 'busy.test') {
        return json(429, { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' }, {
          'ratelimit-limit': '30',
          'ratelimit-remaining': '0',
          'ratelimit-reset': String(rateLimitResetAt),
          'ratelimit-policy': '30;w=300',
        });
      }
      if (input.identifier === 'takedown.test') return json(401, { error: 'AccountTakedown', message: 'Account has been taken down' });
      if (input.authFactorToken !== emailCode) {
        return json(401, { error: 'AuthFactorTokenRequired', message: 'A sign in code has been sent to your email address' });
      }
      return json(200, { did: emailUserDid, handle: input.identifier, accessJwt: 'opaque-access', refreshJwt: 'opaque-refresh', active: true, emailConfirmed: true });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    env: { LOCALPOST_PLC_URL: url },
    rateLimitResetAt,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
