// The developer apps users register themselves, one spec per platform, as data: the core stores
// the app and builds the redirect URI from it, the renderer draws the one Settings form from it.
// Every platform here needs the user's own app because none offers one a desktop program can share
// (X bills each post to the app that sends it; LinkedIn and Pinterest give API access per app).
// A platform listed here whose account side is not in `platformIds` yet can have its app saved,
// ready for the day it can connect; the Settings form says that Connect is not available yet.
//
// Runtime: std (no DOM, no Node). No imports beyond the id lists: the contract (and so the sandboxed
// preload bundle) reads this file.
import { platformIds, type PlatformId } from './platformIds';

export const developerAppPlatforms = ['x', 'linkedin', 'pinterest', 'tiktok', 'youtube', 'threads', 'facebook', 'instagram'] as const;
export type DeveloperAppPlatform = (typeof developerAppPlatforms)[number];

/** The id of TikTok's "audited" switch: off, the app may post only privately (SELF_ONLY). */
export const tiktokAuditedSwitch = 'audited';

/** The id of YouTube's switch for a consent screen in Testing, whose sign-ins Google ends after 7 days. */
export const youTubeTestingSwitch = 'testing';

/** The id of Pinterest's sandbox switch, which its sign-in reads. */
export const pinterestSandboxSwitch = 'sandbox';

/**
 * A redirect to Localpost's own loopback listener on one port the user registers with the
 * platform: for platforms that match the redirect URI exactly, port included, so an ephemeral
 * port (RFC 8252 §7.3) would never match.
 */
export interface FixedLoopbackRedirect {
  kind: 'fixedLoopbackPort';
  defaultPort: number;
  path: string;
  /** What the platform's portal calls the field the URI goes in. */
  registerAs: string;
}

/**
 * A redirect to Localpost's loopback listener on whatever port is free at each sign-in (RFC 8252
 * §7.3), for platforms that accept any port of the loopback address: nothing fixed to collide with
 * another program, and no port for the user to pick.
 */
export interface AnyLoopbackPortRedirect {
  kind: 'anyLoopbackPort';
  path: string;
  /** What the portal wants registered, when it asks for a redirect at all (a wildcard-port URI),
   *  and what it calls the field; null when the client type accepts any loopback address unasked. */
  register: { uri: string; as: string } | null;
}

/**
 * A redirect to Localpost's loopback listener speaking TLS on one port the user registers, as
 * `https://localhost:<port><path>`: for platforms that accept only https redirect URIs, registered
 * exactly (Meta's: Facebook Pages, Instagram, Threads), where an http loopback address (RFC 8252
 * §7.3) is refused. The certificate is made on this computer, so the browser warns before it
 * arrives; pasting the address the browser landed on finishes the sign-in as well.
 */
export interface HttpsLoopbackPortRedirect {
  kind: 'httpsLoopbackPort';
  defaultPort: number;
  path: string;
  /** What the platform's portal calls the field the URI goes in. */
  registerAs: string;
}

export type DeveloperAppRedirect = FixedLoopbackRedirect | AnyLoopbackPortRedirect | HttpsLoopbackPortRedirect;

/** Whether the user picks the port the redirect URI names (and registers it), rather than the OS at each sign-in. */
export function hasChosenPort(redirect: DeveloperAppRedirect): redirect is FixedLoopbackRedirect | HttpsLoopbackPortRedirect {
  return redirect.kind === 'fixedLoopbackPort' || redirect.kind === 'httpsLoopbackPort';
}

/** The one sentence the developer-app page says under an https redirect URI: what the user will see. */
export const httpsRedirectExplanation =
  'This platform accepts only https addresses, so Localpost answers on this computer with a certificate it made itself: your browser will warn that the connection is not private, and you can either continue to localhost or copy the address it shows and paste it into Localpost.';

/**
 * A yes-or-no choice saved with the app, for a platform whose apps differ in a way the sign-in must
 * follow (Pinterest's Trial apps pin only in its sandbox). Off until the user turns it on.
 */
export interface DeveloperAppSwitch {
  /** The key it is saved under with the app. */
  id: string;
  label: string;
  /** Why someone would turn it on, in one sentence. */
  why: string;
}

export interface DeveloperAppSpec {
  platform: DeveloperAppPlatform;
  /** The platform's name as people say it: "X", "LinkedIn". */
  name: string;
  /** "an X account", "a LinkedIn account": the article follows how the name is said. */
  anAccount: string;
  /** Why Localpost needs the user's own app, in a sentence or two. */
  why: string;
  portal: { name: string; url: string };
  /** The type of app to create, where the portal asks for one. */
  appType: string | null;
  /** The portal's products to add to the app, which grant the scopes. */
  products: readonly string[];
  /** The scopes Localpost asks for, each one needed. */
  scopes: readonly string[];
  /** Where the portal shows the credentials: the tab, and the heading over them. */
  credentialsAt: { tab: string; heading: string };
  /**
   * Whether the token request needs the client secret. 'optional' says, for a platform with public
   * clients, when the app has none.
   */
  clientSecret: { required: true } | { required: false; whenNone: string };
  redirect: DeveloperAppRedirect;
  /** The platform's switches, drawn under the app's fields; none for most platforms. */
  switches?: readonly DeveloperAppSwitch[];
  /** What people trip on with the platform's apps, said before they do; none for most platforms. */
  caveats?: readonly string[];
  /** Whether the platform's API is Meta's versioned Graph API: its tab shows the version setting. */
  graphApiVersion?: true;
}

/** The first port Localpost listens on for a fixed-port redirect, unless the user picks another. */
export const defaultFixedRedirectPort = 53682;
export const minRedirectPort = 1024;
export const maxRedirectPort = 65535;

export const developerAppSpecs = {
  x: {
    platform: 'x',
    name: 'X',
    anAccount: 'an X account',
    why:
      'X bills every post to the developer app that sends it, so Localpost posts through your own app: the cost goes to your X developer account, where you can see it.',
    portal: { name: 'X Developer Console', url: 'https://developer.x.com/en/portal/dashboard' },
    appType: 'Native App',
    products: [],
    // `POST /2/tweets` needs `tweet.read tweet.write users.read` (openapi.json security), the media
    // endpoints `media.write`, and only `offline.access` brings a refresh token (docs.x.com,
    // authorization-code).
    scopes: ['tweet.read', 'tweet.write', 'users.read', 'media.write', 'offline.access'],
    credentialsAt: { tab: 'Keys and tokens', heading: 'OAuth 2.0 Client ID and Client Secret' },
    // A "Native App" is a public client (PKCE only); a "Web App" is confidential (docs.x.com, authorization-code).
    clientSecret: { required: false, whenNone: 'A Native App has none: leave this empty. Only a confidential (Web App) client has a secret.' },
    // X compares redirect URIs exactly, "including trailing slashes" (docs.x.com, developer-apps).
    redirect: { kind: 'fixedLoopbackPort', defaultPort: defaultFixedRedirectPort, path: '/callback', registerAs: 'callback URI' },
  },
  linkedin: {
    platform: 'linkedin',
    name: 'LinkedIn',
    anAccount: 'a LinkedIn account',
    why: 'LinkedIn lets an app post for its members only once the app has the Share on LinkedIn product, so Localpost posts through your own app.',
    portal: { name: 'LinkedIn Developer Portal', url: 'https://www.linkedin.com/developers/apps' },
    appType: null,
    // w_member_social comes with "Share on LinkedIn"; openid and profile with "Sign In with LinkedIn
    // using OpenID Connect", for /v2/userinfo, whose `sub` names the author (learn.microsoft.com,
    // linkedin/consumer/integrations/self-serve/share-on-linkedin and sign-in-with-linkedin-v2).
    products: ['Share on LinkedIn', 'Sign In with LinkedIn using OpenID Connect'],
    scopes: ['openid', 'profile', 'w_member_social'],
    credentialsAt: { tab: 'Auth', heading: 'Application credentials' },
    // The standard authorization-code flow authenticates the app with its secret and takes no PKCE
    // (learn.microsoft.com, linkedin/shared/authentication/authorization-code-flow).
    clientSecret: { required: true },
    // "Authorized redirect URLs" must match exactly; the loopback PKCE flow with any port is
    // enabled only on request (authorization-code-flow-native), so one fixed port is registered.
    redirect: { kind: 'fixedLoopbackPort', defaultPort: defaultFixedRedirectPort, path: '/callback', registerAs: 'Authorized redirect URL' },
  },
  pinterest: {
    platform: 'pinterest',
    name: 'Pinterest',
    anAccount: 'a Pinterest account',
    why: 'Pinterest gives API access to each developer app it approves, not to a program, so Localpost pins through your own app.',
    portal: { name: 'Pinterest Developers', url: 'https://developers.pinterest.com/apps/' },
    appType: null,
    products: [],
    // `POST /v5/pins` asks for boards:read, boards:write, pins:read and pins:write (its `security`
    // in api-description v5/openapi.json); user_accounts:read names the account.
    scopes: ['boards:read', 'boards:write', 'pins:read', 'pins:write', 'user_accounts:read'],
    credentialsAt: { tab: 'My apps', heading: 'App id and secret key' },
    // The token endpoint takes HTTP Basic with the app's id and secret, and no PKCE (v5/openapi.json).
    clientSecret: { required: true },
    // The official quickstart registers one exact loopback address with its port (pinterest/api-quickstart).
    redirect: { kind: 'fixedLoopbackPort', defaultPort: defaultFixedRedirectPort, path: '/callback', registerAs: 'Redirect link' },
    // A new app has Trial access, and Trial apps may create pins only in the API sandbox, where
    // they are visible only to their creator (developers.pinterest.com/docs/key-concepts/access-tiers/
    // and /docs/developer-tools/sandbox/). The sandbox has its own tokens, so the switch applies at
    // the next connect.
    switches: [
      {
        id: pinterestSandboxSwitch,
        label: 'Use Pinterest’s sandbox (Trial access)',
        why: 'New Pinterest apps have Trial access and may create pins only in Pinterest’s sandbox, where they are visible only to you; reconnect after changing this.',
      },
    ],
  },
  tiktok: {
    platform: 'tiktok',
    name: 'TikTok',
    anAccount: 'a TikTok account',
    why: 'TikTok lets an app post videos only once it has Login Kit and the Content Posting API with Direct Post, per app, so Localpost posts through your own.',
    portal: { name: 'TikTok for Developers', url: 'https://developers.tiktok.com/apps/' },
    appType: 'Desktop (Login Kit platform)',
    // Direct Post needs video.publish; user.info.basic names the account (developers.tiktok.com,
    // content-posting-api-get-started and scopes-overview).
    products: ['Login Kit', 'Content Posting API (Direct Post on)'],
    scopes: ['user.info.basic', 'video.publish'],
    credentialsAt: { tab: 'App details', heading: 'Client key and Client secret' },
    // The token request always carries client_secret (developers.tiktok.com, oauth-user-access-token-management).
    clientSecret: { required: true },
    // Login Kit for Desktop: "Only localhost or loopback IP 127.0.0.1 are allowed host names … must have
    // a port number, and wildcard port number (*) is supported", e.g. http://127.0.0.1:*/callback/
    // (developers.tiktok.com/doc/login-kit-desktop).
    redirect: { kind: 'anyLoopbackPort', path: '/callback/', register: { uri: 'http://127.0.0.1:*/callback/', as: 'Redirect URI (Login Kit, Desktop)' } },
    // "Unaudited API Clients … All user accounts … must be set to private at the time of posting …
    // only post contents in SELF_ONLY" (developers.tiktok.com/doc/content-sharing-guidelines/).
    switches: [
      {
        id: tiktokAuditedSwitch,
        label: 'TikTok has audited this app (public posts allowed)',
        why: 'Until TikTok audits your app, it may post only privately (“Only me”) and the TikTok account must itself be private; turn this on once TikTok approved your app.',
      },
    ],
  },
  youtube: {
    platform: 'youtube',
    name: 'YouTube',
    anAccount: 'a YouTube channel',
    why:
      'Google gives the YouTube Data API to each Google Cloud project, with its own daily quota and its own audit, and not to a program, so Localpost uploads through your own project’s OAuth client.',
    portal: { name: 'Google Cloud console', url: 'https://console.cloud.google.com/apis/credentials' },
    // developers.google.com/identity/protocols/oauth2/native-app: a "Desktop app" client takes a
    // loopback redirect on any port, with nothing to register.
    appType: 'Desktop app',
    products: ['YouTube Data API v3'],
    // videos.insert needs youtube.upload; channels.list?mine=true a scope that reads the channel
    // (developers.google.com/youtube/v3/docs/videos/insert, /channels/list, "Authorization").
    scopes: ['https://www.googleapis.com/auth/youtube.upload', 'https://www.googleapis.com/auth/youtube.readonly'],
    credentialsAt: { tab: 'Credentials', heading: 'OAuth 2.0 Client IDs' },
    // The installed-app flow sends client_secret with the code and the PKCE verifier (native-app,
    // step 5): Google issues a secret to a Desktop client and expects it, though it cannot be kept secret.
    clientSecret: { required: true },
    // native-app, "Loopback IP address": a Desktop app client takes `http://127.0.0.1:port` on any
    // port, and the console asks for no redirect URI at all for that client type.
    redirect: { kind: 'anyLoopbackPort', path: '/', register: null },
    // developers.google.com/identity/protocols/oauth2#expiration: "A Google Cloud Platform project
    // with an OAuth consent screen configured for an external user type and a publishing status of
    // 'Testing' is issued a refresh token expiring in 7 days".
    switches: [
      {
        id: youTubeTestingSwitch,
        label: 'My OAuth consent screen is in “Testing”',
        why: 'Google ends every sign-in of an app in Testing after 7 days: Localpost then marks each channel with the day it ends, so you can reconnect first. Publish the app in Google Cloud to stop this.',
      },
    ],
    // YouTube API Services Terms and developers.google.com/youtube/v3/docs/videos/insert: "All
    // videos uploaded via the videos.insert endpoint from unverified API projects created after
    // 28 July 2020 will be restricted to private viewing mode"; getting-started#quota: every
    // project has a daily quota, reset at midnight Pacific time.
    caveats: [
      'Until Google has audited your project (YouTube API Services audit), every video it uploads stays private, whatever you choose in the composer.',
      'While the OAuth consent screen is in Testing, only the Google accounts listed as its test users can connect, and Google ends their sign-ins after 7 days.',
      'Each upload spends much of the project’s daily YouTube quota; when it runs out Localpost holds uploads until midnight Pacific time, when Google resets it.',
    ],
  },
  threads: {
    platform: 'threads',
    name: 'Threads',
    anAccount: 'a Threads account',
    why: 'Meta gives the Threads API to each app that adds the Threads use case, not to a program, so Localpost posts through your own Meta app.',
    portal: { name: 'Meta for Developers', url: 'https://developers.facebook.com/apps/' },
    appType: null,
    // threads_basic is needed by every endpoint, threads_content_publish by /threads and
    // /threads_publish (developers.facebook.com/documentation/threads/get-started/get-access-tokens-and-permissions).
    products: ['Access the Threads API (use case)'],
    scopes: ['threads_basic', 'threads_content_publish'],
    // The use case's own credentials, not the Meta app's (developers.facebook.com/documentation/threads/get-started).
    credentialsAt: { tab: 'App settings → Basic', heading: 'Threads app ID and Threads app secret' },
    // The code exchange and the long-lived token exchange both carry the app secret.
    clientSecret: { required: true },
    // Use cases → Access the Threads API → Settings: "Redirect Callback URLs", compared exactly, and
    // https only, loopback included.
    redirect: { kind: 'httpsLoopbackPort', defaultPort: defaultFixedRedirectPort, path: '/callback', registerAs: 'Redirect Callback URL' },
    caveats: [
      'Meta’s settings page saves only with all three addresses filled in: put the same https://localhost address in “Uninstall Callback URL” and “Delete Callback URL” too.',
      'Until the app passes Meta’s App Review, only the Threads accounts added as Threads testers (App roles) can connect, each after accepting the invitation in Threads’ settings.',
    ],
  },
  facebook: {
    platform: 'facebook',
    name: 'Facebook',
    anAccount: 'a Facebook Page',
    why: 'Meta gives the Pages API to each app whose users grant it, not to a program, so Localpost posts to your Pages through your own Meta app.',
    portal: { name: 'Meta for Developers', url: 'https://developers.facebook.com/apps/' },
    appType: 'Business',
    // pages_show_list lists the Pages (/me/accounts), pages_manage_posts and pages_read_engagement
    // post to a Page's feed and read its posts back, publish_video uploads a video
    // (developers.facebook.com/docs/pages-api/posts and /docs/video-api/guides/publishing).
    // instagram_basic and instagram_content_publish reach the Instagram professional account linked
    // to a Page and publish to it with the Page's token (instagram-platform/
    // instagram-api-with-facebook-login); a user who unticks them connects the Pages alone.
    // business_management is left out: it grants every asset of the user's Business portfolios,
    // and /me/accounts lists the Pages the user holds a task on without it.
    products: ['Facebook Login'],
    scopes: ['pages_show_list', 'pages_manage_posts', 'pages_read_engagement', 'publish_video', 'instagram_basic', 'instagram_content_publish'],
    credentialsAt: { tab: 'App settings → Basic', heading: 'App ID and App secret' },
    // The code exchange and the long-lived token exchange (fb_exchange_token) both carry the secret
    // (facebook-login/guides/advanced/manual-flow, guides/access-tokens/get-long-lived).
    clientSecret: { required: true },
    // Facebook Login → Settings: "Valid OAuth Redirect URIs", matched exactly (Strict Mode) and
    // https only since 2018 ("Enforce HTTPS"), loopback included once the app is Live.
    redirect: { kind: 'httpsLoopbackPort', defaultPort: defaultFixedRedirectPort, path: '/callback', registerAs: 'Valid OAuth Redirect URI (Facebook Login → Settings)' },
    caveats: [
      'Until Meta has reviewed the app, only people with a role on it (App roles: administrators, developers, testers) can connect their Pages.',
      'A Page posts through the API only once its Page Publishing Authorization is complete, where Meta asks for one.',
      'Localpost asks for its permissions by name, through Facebook Login: a “Facebook Login for Business” configuration is not used.',
    ],
    graphApiVersion: true,
  },
  instagram: {
    platform: 'instagram',
    name: 'Instagram',
    anAccount: 'an Instagram professional account',
    why: 'Meta gives the Instagram API to each app that adds the “Instagram API with Instagram Login” product, not to a program, so Localpost posts through your own Meta app.',
    portal: { name: 'Meta for Developers', url: 'https://developers.facebook.com/apps/' },
    appType: 'Business',
    // instagram_business_basic is needed by every endpoint, instagram_business_content_publish by
    // /media and /media_publish (developers.facebook.com/docs/instagram-platform/
    // instagram-api-with-instagram-login/business-login; the older business_* names stopped
    // working on 2025-01-27).
    products: ['Instagram (API setup with Instagram login)'],
    scopes: ['instagram_business_basic', 'instagram_business_content_publish'],
    // The product's own credentials, not the Meta app's (business-login, "Instagram app ID").
    credentialsAt: { tab: 'Instagram → API setup with Instagram login → 3. Set up Instagram business login → Business login settings', heading: 'Instagram app ID and Instagram app secret' },
    // The code exchange and the long-lived token exchange both carry the app secret.
    clientSecret: { required: true },
    // Business login settings: "OAuth redirect URIs", compared exactly, https only.
    redirect: { kind: 'httpsLoopbackPort', defaultPort: defaultFixedRedirectPort, path: '/callback', registerAs: 'OAuth redirect URI' },
    caveats: [
      'Only Instagram professional accounts (Business or Creator) can post through the API: switch a personal account in the Instagram app first.',
      'Until the app passes Meta’s App Review, only the Instagram accounts added as Instagram testers (App roles) can connect, each after accepting the invitation in Instagram’s settings.',
    ],
    graphApiVersion: true,
  },
} as const satisfies { [P in DeveloperAppPlatform]: DeveloperAppSpec & { platform: P } };

export const developerAppSpecList: readonly DeveloperAppSpec[] = developerAppPlatforms.map((platform) => developerAppSpecs[platform]);

/**
 * The redirect URI on a port: for a fixed port, the exact one to register. 127.0.0.1 rather than
 * localhost, which X asks for and RFC 8252 §8.3 recommends (a name can resolve elsewhere), built in
 * this one place for the core's sign-in and the address the user copies, so the two never differ
 * by a character.
 */
export function loopbackRedirectUri(redirect: DeveloperAppRedirect, port: number): string {
  // An https address names `localhost`, as the platforms that want one register it (a certificate
  // for a name is what browsers expect); the listener still binds 127.0.0.1 only.
  if (redirect.kind === 'httpsLoopbackPort') return `https://localhost:${port}${redirect.path}`;
  return `http://127.0.0.1:${port}${redirect.path}`;
}

/** What the user registers with the platform, and as what; null when the platform wants nothing. */
export function redirectToRegister(redirect: DeveloperAppRedirect, port: number): { uri: string; as: string } | null {
  return hasChosenPort(redirect) ? { uri: loopbackRedirectUri(redirect, port), as: redirect.registerAs } : redirect.register;
}


/** Whether Localpost can connect an account of the platform yet, or only keep its app ready. */
export function canConnectWithDeveloperApp(platform: DeveloperAppPlatform): platform is DeveloperAppPlatform & PlatformId {
  return (platformIds as readonly string[]).includes(platform);
}

/** Each of the platform's switches, on or off: what is saved, off where nothing is. */
export function developerAppSwitchStates(platform: DeveloperAppPlatform, saved: Readonly<Record<string, boolean>> = {}): Record<string, boolean> {
  const spec: DeveloperAppSpec = developerAppSpecs[platform];
  return Object.fromEntries((spec.switches ?? []).map((option) => [option.id, saved[option.id] === true]));
}

/** Whether the platform has a switch of this id (anything else is refused, not saved). */
export function isDeveloperAppSwitch(platform: DeveloperAppPlatform, id: string): boolean {
  const spec: DeveloperAppSpec = developerAppSpecs[platform];
  return (spec.switches ?? []).some((option) => option.id === id);
}
