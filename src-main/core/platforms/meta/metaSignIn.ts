// How Meta's three logins (Facebook Login, Instagram Login, Threads) differ alike from the RFC 6749
// code flow the OAuth engine speaks: the app secret sent in the code exchange's form
// (client_secret_post), scopes separated by commas, no PKCE (none of the three documents a
// challenge or a verifier; the secret binds the code), and a token answer without the
// `token_type` RFC 6749 §5.1 requires. A made-up code and a wrong secret are both answered with an
// OAuthException told apart only by its words, so "Test these credentials" says "unclear" unless
// Meta says `invalid_client`.
import type { DeveloperAppSignIn } from '../developerAppSignIn';

export const metaSignIn = {
  clientAuthMethod: 'client_secret_post',
  authorization: { scopeSeparator: ',', pkce: false, tokenTypeWhenAbsent: 'bearer' },
  credentialCheck: { codeRefused: [] },
} as const satisfies Pick<DeveloperAppSignIn, 'clientAuthMethod' | 'authorization' | 'credentialCheck'>;
