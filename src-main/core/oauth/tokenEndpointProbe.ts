// Whether a token endpoint takes a client's id and secret, asked without a user: the
// authorization-code grant with a code that cannot exist, sent exactly as the sign-in sends its
// real one (the same client authentication, redirect URI and PKCE rule). RFC 6749 §3.2.1 has the
// server authenticate a confidential client at the token endpoint, and §5.2 answers a failed client
// authentication with `invalid_client` (401 when the client used HTTP authentication) and a bad code
// with `invalid_grant`: a server that authenticates the client first says which of the two failed.
// What each platform answers in practice is the platform's to say; this only asks and reads.
//
// The secret goes to the token endpoint only, through the core's one HTTP path (HttpFetch), and
// the endpoint is https or loopback http (describeServer refuses anything else).
import * as oauth from 'oauth4webapi';
import type { HttpFetch } from '../ports';
import { clientAuthentication, describeClient, describeServer, requestOptions, type OAuthClientCredentials } from './oauthClient';

/** What the token endpoint answered: its status and, where it wrote one, RFC 6749 §5.2's `error`. */
export interface TokenEndpointAnswer {
  status: number;
  error?: string;
  /** The server's `error_description`, or the `message` of a platform's own error shape. */
  description?: string;
}

export interface MadeUpCodeRequest {
  endpoints: { tokenUrl: string; issuer: string };
  client: OAuthClientCredentials;
  redirectUri: string;
  /** Whether the sign-in sends a PKCE verifier (RFC 7636): a server that requires one would
   *  otherwise refuse the request for its missing verifier before it looked at the client. */
  pkce: boolean;
}

/** Sends the made-up code and reads the refusal; never throws for an HTTP answer, only for none. */
export async function askWithMadeUpCode(fetch: HttpFetch, request: MadeUpCodeRequest): Promise<TokenEndpointAnswer> {
  const server = describeServer({ issuer: request.endpoints.issuer, tokenUrl: request.endpoints.tokenUrl });
  const client = describeClient(request.client);
  // A code of the usual shape that no server issued: 32 random bytes, base64url.
  const madeUpCode = oauth.generateRandomState();
  const callback = oauth.validateAuthResponse(server, client, new URLSearchParams({ code: madeUpCode }), oauth.skipStateCheck);
  const response = await oauth.authorizationCodeGrantRequest(
    server,
    client,
    clientAuthentication(request.client),
    callback,
    request.redirectUri,
    request.pkce ? oauth.generateRandomCodeVerifier() : oauth.nopkce,
    requestOptions(request.endpoints.tokenUrl, fetch),
  );
  const text = await response.text().catch(() => '');
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>;
  } catch {
    // An HTML page or an empty body: the status alone has to do.
  }
  const said = typeof body.error_description === 'string' ? body.error_description : typeof body.message === 'string' ? body.message : undefined;
  return {
    status: response.status,
    ...(typeof body.error === 'string' ? { error: body.error } : {}),
    ...(said?.trim() ? { description: said.trim().slice(0, 300) } : {}),
  };
}
