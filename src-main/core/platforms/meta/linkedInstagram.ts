// An Instagram professional account as both Meta sign-ins name it. Instagram Login signs the
// account in itself; Facebook Login reaches it through the Facebook Page it is linked to
// (developers.facebook.com/docs/instagram-platform/overview: "Instagram API with Facebook Login"),
// with the Page's token, on graph.facebook.com. Either way it is one Instagram account in
// Localpost, filed under the same remote id (the Instagram professional account id), and its
// credential's `extra` says which way it signed in, so the Instagram adapter knows its host and
// whether its token renews.
import { AppError } from '../../errors';

/** The service an Instagram account is shown under, however it signed in. */
export const instagramService = 'instagram.com';

/**
 * `login` 'instagram' (Instagram Login, a 60-day token renewed by exchanging it) or 'facebook' (a
 * Facebook Page's token, which does not expire, calls through graph.facebook.com), and the
 * Instagram professional account id the publishing API names.
 */
export interface InstagramAccountExtra extends Record<string, string> {
  login: 'instagram' | 'facebook';
  userId: string;
}

/** The `extra` of an Instagram account reached through a Facebook Page's `instagram_business_account`. */
export function facebookLoginInstagramExtra(igUserId: string): InstagramAccountExtra {
  if (!/^\d+$/.test(igUserId)) throw new AppError('invalid_input', 'An Instagram account id is a number.');
  return { login: 'facebook', userId: igUserId };
}
