// The bridge contract: the single source of truth for every call the renderer may make into
// main and every event main sends back. Main registers one handler per method from this object,
// the preload builds `window.localpost` from its names (channels.ts, which the `satisfies` checks
// below keep equal to it), and the renderer imports only its types.
//
// Runtime: std (imports only zod and src-shared). Nothing here may import `electron` or Node.
import { z } from 'zod';
import { developerAppPlatforms, isDeveloperAppSwitch, maxRedirectPort, minRedirectPort } from '../src-shared/developerApps';
import { platformIds } from '../src-shared/platformIds';
import { metaGraphApiVersionPattern } from '../src-shared/metaGraphApi';
import { tiktokPrivacyLevels } from '../src-shared/tiktok';
import type { EventName, MethodName } from './channels';

export { bridgeGlobalName, eventNames, methodNames, methodPath, type EventName, type MethodName } from './channels';

// ---------------------------------------------------------------------------------------------
// Errors cross the bridge as data with a stable code, never as an Error with a stack.

export const errorCodes = [
  'invalid_input',
  'invalid_handle',
  'invalid_service_url',
  'invalid_credentials',
  'auth_factor_required',
  'network_unreachable',
  'rate_limited',
  'platform_rejected',
  'platform_auth_failed',
  'developer_app_missing',
  // "Test these credentials": the platform's token endpoint refused the app's id or secret, or
  // answered in a way that says neither yes nor no.
  'developer_app_rejected',
  'developer_app_unverified',
  'redirect_mismatch',
  'authorization_incomplete',
  'preflight_failed',
  'not_found',
  'vault_locked',
  'vault_passphrase_wrong',
  // The data folder was last opened by a newer Localpost; this one refuses to touch it.
  'database_from_newer_version',
  'media_unsupported',
  'media_too_large',
  'link_card_unavailable',
  // A URL fetched for the user (a link card's page or image) is on a loopback, private or other
  // non-public address, or a redirect led there: it is not fetched.
  'address_not_public',
  // A connect that needs the user's explicit yes first: the server is on a private or loopback
  // address, or the account already exists here on another server. The form asks, then sends the
  // same input again with the matching `confirm` entry.
  'address_private',
  'account_server_changed',
  // A server answered a sign-in with an account whose own public record (its DID document) says
  // otherwise: refused, nothing saved.
  'identity_mismatch',
  'untrusted_sender',
  // Delete everything waits while a post is going out: its request may already have reached the
  // platform, and only the record of its answer says whether it did.
  'publish_in_flight',
  'export_failed',
  // A video could not be copied into the data folder (the disk full, the file gone or unreadable
  // half-way): nothing of it was kept.
  'media_copy_failed',
  // Public media (a platform that fetches the file from an address) needs the user's own bucket,
  // and none is saved.
  'media_storage_missing',
  // The bucket refused a request: the keys, the bucket's name or its region are not right.
  'media_storage_rejected',
  // The local endpoint (the localpost command's and the MCP server's door into the app): another
  // Localpost already listens on this data folder; a socket or token file is not the user's alone;
  // a client did not show the install's token; no app answers.
  'endpoint_in_use',
  'endpoint_untrusted',
  'unauthorized',
  'app_not_running',
  // A Facebook sign-in named no Page the user may post to.
  'facebook.pages.none',
  // An approval named content that is no longer what the draft holds: it must be looked at again.
  'approval_stale',
  // The user turned this assistant's access off (Settings → AI assistants).
  'ai_access_off',
  // An MCP client's configuration file is not JSON (or its servers are not an object): Localpost
  // left it untouched. Or the file could not be written.
  'mcp_config_invalid',
  'mcp_config_unwritable',
  // Posting slots: a slot that is not a weekday and a wall time, or named twice; "Add to queue" for
  // a post none of whose accounts has a slot, or whose accounts' slots are all taken for a year.
  'posting_slots.invalid',
  'posting_slots.none',
  'posting_slots.full',
  'internal',
] as const;
export const errorCodeSchema = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

export const bridgeErrorSchema = z.strictObject({
  code: errorCodeSchema,
  message: z.string(),
  /** What the user can do next, in a short sentence. */
  action: z.string().optional(),
  /** When a rate-limited call may be retried (epoch ms). */
  retryAt: z.number().optional(),
});
export type BridgeError = z.infer<typeof bridgeErrorSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: BridgeError };

// ---------------------------------------------------------------------------------------------
// Shared shapes

const id = z.string().min(1).max(64);

/** What the user said yes to when a connect asked first (see `address_private` and
 *  `account_server_changed` above). */
export const connectConfirmations = { address_private: 'private_address', account_server_changed: 'server_change' } as const;
const connectConfirm = z.array(z.enum(['private_address', 'server_change'])).max(2).optional();
export type ConnectConfirmation = NonNullable<z.infer<typeof connectConfirm>>[number];
const shortText = z.string().max(200);

export const profileSchema = z.strictObject({ id, name: z.string(), createdAt: z.number() });
export type Profile = z.infer<typeof profileSchema>;

export const accountStatusSchema = z.enum(['connected', 'needs_reauth', 'expired', 'revoked', 'error']);
export type AccountStatus = z.infer<typeof accountStatusSchema>;

export const platformSchema = z.enum(platformIds);
export type Platform = z.infer<typeof platformSchema>;

export const accountSchema = z.strictObject({
  id,
  profileId: id,
  platform: platformSchema,
  /** How the account is named: a Bluesky handle, a webhook's or chat's name. */
  handle: z.string(),
  /** The platform's id for it: a DID, a webhook id, a bot and chat id. Never a secret. */
  remoteId: z.string(),
  /** Where it lives: the hosting provider, or the platform's host. */
  service: z.string(),
  displayName: z.string().nullable(),
  status: accountStatusSchema,
  /** Why the account is in its status, in words a person understands. */
  statusReason: z.string().nullable(),
  /** The next thing to do (`reconnect`, `check`, ...), when there is one. */
  nextAction: z.enum(['reconnect', 'check']).nullable(),
  checkedAt: z.number().nullable(),
  createdAt: z.number(),
  /** The account's picture, as a small image data: URL kept from when it was connected, when the
   *  platform gave one. */
  avatar: z.string().max(200_000).nullable(),
  /** Limits the account's own server sets (a Mastodon instance), when it has any. */
  limits: z
    .strictObject({
      maxCharacters: z.number(),
      maxImages: z.number(),
      charactersReservedPerUrl: z.number(),
      /** The longest image description the server takes (Mastodon's `description_limit`). */
      altTextLimit: z.number().optional(),
      /** The server's own video limits (Mastodon's `video_size_limit`, `video_matrix_limit`, `video_frame_rate_limit`). */
      videoMaxBytes: z.number().optional(),
      videoMaxPixels: z.number().optional(),
      videoMaxFrameRate: z.number().optional(),
    })
    .nullable(),
  /**
   * A platform that bills per post (X) gets a cap the user sets: at most `limit` posts in any
   * rolling 30 days, of which `used` are taken. Null on platforms that do not charge.
   */
  spendingCap: z.strictObject({ limit: z.number().int(), used: z.number().int() }).nullable(),
});
export type Account = z.infer<typeof accountSchema>;

export const draftImageSchema = z.strictObject({
  id,
  alt: z.string(),
  mime: z.string(),
  width: z.number(),
  height: z.number(),
  bytes: z.number(),
  /** A small data: URL preview, so the renderer never reads the data folder itself. */
  previewDataUrl: z.string(),
});
export type DraftImage = z.infer<typeof draftImageSchema>;

/**
 * A draft's video as probed: the file stays in the data folder, only these facts and the poster
 * cross. Codec names are mediabunny's (avc, hevc, vp8, vp9, av1; aac, opus...).
 */
export const draftVideoSchema = z.strictObject({
  id,
  container: z.enum(['mp4', 'mov', 'webm']),
  mime: z.string(),
  videoCodec: z.string(),
  audioCodec: z.string().nullable(),
  durationSeconds: z.number(),
  width: z.number().int(),
  height: z.number().int(),
  frameRate: z.number(),
  bytes: z.number().int(),
  /** Alt text, for the platforms that show it with a video (empty for none). */
  alt: z.string(),
  /** The poster frame as a small JPEG data: URL, once the composer made one. */
  posterDataUrl: z.string().nullable(),
});
export type DraftVideo = z.infer<typeof draftVideoSchema>;

export const linkCardSchema = z.strictObject({
  url: z.string(),
  title: z.string(),
  description: z.string(),
  /** Preview of the card image as a data: URL, when the page had one. */
  imageDataUrl: z.string().nullable(),
});
export type LinkCard = z.infer<typeof linkCardSchema>;

/** Who sees a Mastodon post (methods/statuses): everyone, everyone but off public timelines,
 *  followers only, mentioned people only. */
export const mastodonVisibilitySchema = z.enum(['public', 'unlisted', 'private', 'direct']);
export type MastodonVisibility = z.infer<typeof mastodonVisibilitySchema>;

/**
 * A pin's own fields (api-description v5/openapi.json `PinCreate`): the board each Pinterest
 * account pins to (a draft may target several accounts, each with boards of its own), a title
 * and the destination link. The limits are preflight's (src-shared/pins.ts); these maxima only
 * keep a runaway input out of the database.
 */
export const pinOptionsSchema = z.strictObject({
  /** Board id by account id. */
  boards: z.record(id, z.string().max(64)),
  title: z.string().max(1000),
  link: z.string().max(4096),
});
export type PinOptions = z.infer<typeof pinOptionsSchema>;

/** TikTok's privacy levels (Content Posting API `privacy_level_options`). */
export const tiktokPrivacyLevelSchema = z.enum(tiktokPrivacyLevels);

/** What TikTok's `creator_info/query` said about an account (src-shared/tiktok.ts `TikTokCreator`). */
export const tiktokCreatorSchema = z.strictObject({
  nickname: z.string().max(200),
  username: z.string().max(200),
  avatarUrl: z.string().max(4096).nullable(),
  privacyLevels: z.array(tiktokPrivacyLevelSchema).max(tiktokPrivacyLevels.length),
  commentDisabled: z.boolean(),
  duetDisabled: z.boolean(),
  stitchDisabled: z.boolean(),
  maxVideoSeconds: z.number().int().min(0).max(86_400),
  onlyPrivate: z.boolean(),
  fetchedAt: z.number(),
});
export type TikTokCreatorInfo = z.infer<typeof tiktokCreatorSchema>;

/**
 * A TikTok video's own settings (src-shared/tiktok.ts `TikTokFields`): who sees it per account (none
 * until chosen), comments, duets and stitches, the commercial content disclosure, and the creator
 * settings the form offered, which preflight checks against.
 */
export const tiktokOptionsSchema = z.strictObject({
  privacy: z.record(id, tiktokPrivacyLevelSchema),
  allowComment: z.boolean(),
  allowDuet: z.boolean(),
  allowStitch: z.boolean(),
  disclose: z.boolean(),
  yourBrand: z.boolean(),
  brandedContent: z.boolean(),
  creators: z.record(id, tiktokCreatorSchema),
});
export type TikTokOptions = z.infer<typeof tiktokOptionsSchema>;

/**
 * A YouTube video's own fields (the Data API's video resource, snippet and status): title,
 * privacy, the made-for-kids answer (null until the user gives one), category, tags and the time
 * YouTube itself makes a private video public ('' for none). The limits are preflight's
 * (src-shared/youtube.ts); these maxima only keep a runaway input out of the database.
 */
export const youTubeOptionsSchema = z.strictObject({
  title: z.string().max(1000),
  privacy: z.enum(['private', 'unlisted', 'public']),
  madeForKids: z.boolean().nullable(),
  categoryId: z.string().regex(/^\d{1,4}$/),
  tags: z.array(z.string().max(500)).max(500),
  publishAt: z.string().max(40),
});
export type YouTubeOptions = z.infer<typeof youTubeOptionsSchema>;

/** What only some platforms' posts carry, one optional entry per platform that has any. */
export const platformPostOptionsSchema = z.strictObject({
  pinterest: pinOptionsSchema.optional(),
  tiktok: tiktokOptionsSchema.optional(),
  youtube: youTubeOptionsSchema.optional(),
});
export type PlatformPostOptions = z.infer<typeof platformPostOptionsSchema>;

/** A board an account can post to (Pinterest's `Board`): listed in the composer, cached per account. */
export const boardSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  /** Secret and protected boards are seen only by their owner and collaborators. */
  secret: z.boolean(),
});
export type Board = z.infer<typeof boardSchema>;

/** A text of its own for a platform or an account: the first post and its replies. */
const textVariantSchema = z.strictObject({
  text: z.string().max(100_000),
  replies: z.array(z.string().max(100_000)).max(100),
});

/** Texts of their own, by platform and by account; a target with none follows the main text. */
export const textVariantsSchema = z.strictObject({
  platforms: z.partialRecord(platformSchema, textVariantSchema),
  accounts: z.record(id, textVariantSchema).refine((accounts) => Object.keys(accounts).length <= 100, 'At most 100 account variants'),
});
const addVideoOutput = z.discriminatedUnion('outcome', [
  z.strictObject({ outcome: z.literal('cancelled') }),
  z.strictObject({ outcome: z.literal('added'), video: draftVideoSchema }),
]);

export const draftSchema = z.strictObject({
  id,
  profileId: id,
  /** The main text: the post itself, or the first post of a reply chain. */
  text: z.string(),
  /** The rest of the reply chain: each a reply to the one before (none for a single post). */
  replies: z.array(z.string()),
  variants: textVariantsSchema,
  /** Cut a post longer than its platform takes into a reply chain at sentence boundaries. */
  splitLongPosts: z.boolean(),
  targetAccountIds: z.array(id),
  langs: z.array(z.string()),
  images: z.array(draftImageSchema),
  /** At most one video a post. */
  video: draftVideoSchema.nullable(),
  linkCard: linkCardSchema.nullable(),
  /** The user removed the card for this link: do not fetch it again. */
  linkCardDismissedUrl: z.string().nullable(),
  /** Mastodon's content warning (`spoiler_text`): shown in place of the post until opened. */
  contentWarning: z.string(),
  /** Mastodon's visibility for this post. */
  visibility: mastodonVisibilitySchema,
  platformOptions: platformPostOptionsSchema,
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Draft = z.infer<typeof draftSchema>;

export const preflightIssueSchema = z.strictObject({
  ruleId: z.string(),
  accountId: id.nullable(),
  message: z.string(),
});
export type PreflightIssue = z.infer<typeof preflightIssueSchema>;

/**
 * One target's state in the outbox: waiting its turn, being sent, done, failed in a way
 * a retry may fix (the Retry button) or will not, `unknown` when the request may have reached the
 * platform and nothing could tell whether it did (never re-sent blindly), or cancelled by the user.
 */
export const targetStatusSchema = z.enum(['queued', 'publishing', 'published', 'failed_retryable', 'failed_permanent', 'unknown', 'cancelled']);
export type TargetStatus = z.infer<typeof targetStatusSchema>;

export const postTargetSchema = z.strictObject({
  accountId: id,
  handle: z.string(),
  /** Kept with the target, so history reads right after its account is disconnected. */
  platform: platformSchema,
  status: targetStatusSchema,
  /** The platform's id for the post, when it gives one: an at:// URI on Bluesky, a message id on
   *  Discord and Telegram; null on Slack, whose webhooks return none. */
  uri: z.string().nullable(),
  /** Web link to the post (bsky.app for bsky.social accounts), when there is one. */
  url: z.string().nullable(),
  /** The last failure: for a failed or unknown target, and for a queued one waiting to retry. */
  error: bridgeErrorSchema.nullable(),
  /** When it was last attempted (or queued, before its first attempt). */
  attemptedAt: z.number(),
  attempts: z.number().int(),
  /** When a queued target will be tried next, if it waits for a time (a retry, a rate limit). */
  nextAttemptAt: z.number().nullable(),
  /** While a file is being uploaded for this target: bytes sent so far of the request's whole
   *  body. Null otherwise (no file, not started, or done). */
  progress: z.strictObject({ sentBytes: z.number().int().nonnegative(), totalBytes: z.number().int().nonnegative() }).nullable(),
  /** A reply chain's progress here: how many of its posts went out, of how many. Null for a single post. */
  chain: z.strictObject({ published: z.number().int().nonnegative(), total: z.number().int().positive() }).nullable(),
});
const uploadProgressEventSchema = z.strictObject({
  postId: id,
  accountId: id,
  sentBytes: z.number().int().nonnegative(),
  totalBytes: z.number().int().nonnegative(),
});
export type PostTarget = z.infer<typeof postTargetSchema>;

/**
 * Where a post stands as a whole: waiting for its time; its time passed while Localpost was closed
 * or asleep and the user is asked; going out; some target needs the user (failed, unknown); done
 * (every target published, failed for good or cancelled).
 */
export const postPhaseSchema = z.enum(['scheduled', 'missed', 'sending', 'needs_attention', 'done']);
export type PostPhase = z.infer<typeof postPhaseSchema>;

export const postSchema = z.strictObject({
  id,
  draftId: id.nullable(),
  text: z.string(),
  createdAt: z.number(),
  phase: postPhaseSchema,
  /** When it is due (epoch ms) and the IANA zone it was scheduled in; null for "now". */
  scheduledAt: z.number().nullable(),
  scheduleZone: z.string().nullable(),
  /** The wall time as it was chosen (`2026-03-29T09:00`), in `scheduleZone`. */
  scheduleLocal: z.string().nullable(),
  targets: z.array(postTargetSchema),
});
export type Post = z.infer<typeof postSchema>;

/**
 * A posting slot: a weekday (ISO: 1 is Monday, 7 Sunday) and a wall time (`HH:mm`), read in the
 * user's time zone on each date. The shape only is checked here; the core says what is wrong with
 * the values (`posting_slots.invalid`).
 */
export const postingSlotSchema = z.strictObject({ weekday: z.number().int(), time: z.string().max(10) });
export type PostingSlot = z.infer<typeof postingSlotSchema>;
export const accountPostingSlotsSchema = z.strictObject({ accountId: id, slots: z.array(postingSlotSchema) });
export type AccountPostingSlots = z.infer<typeof accountPostingSlotsSchema>;

/** A slot in the calendar's range that no scheduled post to its account occupies yet. */
export const openSlotSchema = z.strictObject({ accountId: id, at: z.number(), local: z.string() });
export type OpenSlot = z.infer<typeof openSlotSchema>;

export const vaultStatusSchema = z.strictObject({
  /** keyring: the OS key store wraps the vault key; passphrase: the user's passphrase does;
   *  session: secrets live in memory only and are forgotten on quit. */
  protection: z.enum(['keyring', 'passphrase', 'session']),
  /** False when the OS key store protects nothing (Linux `basic_text`, or no encryption at all):
   *  the settings screen then says so and offers a passphrase or session-only storage. */
  keyringProtects: z.boolean(),
  /** The OS key store Electron selected (Linux: gnome_libsecret, kwallet6, basic_text, ...). */
  backend: z.string(),
  locked: z.boolean(),
  /** Set when the OS key store differs from the one that wrapped the key last time. */
  backendChange: z.strictObject({ from: z.string(), to: z.string() }).nullable(),
  /** Why the vault is locked, in words a person understands; null when it is open.
   *  key_store_unavailable: the OS key store did not give the key back this time (locked keyring,
   *  dismissed prompt, another password store); nothing is deleted, Try again asks once more.
   *  passphrase_required: the vault waits for the user's passphrase. */
  lockedReason: z.strictObject({ code: z.enum(['key_store_unavailable', 'passphrase_required']), message: z.string() }).nullable(),
});
export type VaultStatus = z.infer<typeof vaultStatusSchema>;

/** Platforms that need the user's own developer app before they connect (src-shared/developerApps.ts). */
export const developerAppPlatformSchema = z.enum(developerAppPlatforms);
export type DeveloperAppPlatform = z.infer<typeof developerAppPlatformSchema>;

/** A developer app as the renderer sees it: the client secret never crosses, only whether one is set. */
export const developerAppSchema = z.strictObject({
  platform: developerAppPlatformSchema,
  clientId: z.string().nullable(),
  hasClientSecret: z.boolean(),
  /** The fixed loopback port of the redirect URI, for platforms that match redirect URIs exactly
   *  (unused where any port is accepted). */
  redirectPort: z.number().int(),
  /** The exact redirect URI to register with the platform, to show and copy; null when the
   *  platform wants none registered. */
  redirectUri: z.string().nullable(),
  /** Each of the platform's switches (src-shared/developerApps.ts), on or off; empty for most. */
  switches: z.record(z.string(), z.boolean()),
});
export type DeveloperApp = z.infer<typeof developerAppSchema>;

/** A developer app as the settings form sends it, to save or to test. */
export const developerAppInputSchema = z
  .strictObject({
    platform: developerAppPlatformSchema,
    clientId: z.string().trim().max(200),
    /** Absent: keep the saved secret. Empty: remove it (a public "Native App" client has none). */
    clientSecret: z.string().max(500).optional(),
    redirectPort: z.number().int().min(minRedirectPort).max(maxRedirectPort),
    /** Absent: keep the saved switches. Only the platform's own switches are accepted. */
    switches: z.record(z.string().max(40), z.boolean()).optional(),
  })
  .superRefine((input, context) => {
    for (const id of Object.keys(input.switches ?? {})) {
      if (!isDeveloperAppSwitch(input.platform, id)) context.addIssue({ code: 'custom', path: ['switches', id], message: `No such setting for this platform: ${id}` });
    }
  });

/** The user's own S3-compatible bucket, where a file a platform fetches by address waits for it
 *  (minutes). As the renderer sees it: whether a secret access key is saved, never the key. */
export const mediaStorageSchema = z.strictObject({
  endpoint: z.string(),
  region: z.string(),
  bucket: z.string(),
  /** Path style (`endpoint/bucket/key`: MinIO, most self-hosted) or virtual-host style
   *  (`bucket.endpoint/key`: AWS S3's default). */
  pathStyle: z.boolean(),
  accessKeyId: z.string(),
  hasSecretAccessKey: z.boolean(),
});
export type MediaStorage = z.infer<typeof mediaStorageSchema>;

/** The bucket as the settings form sends it, to save or to test. */
export const mediaStorageInputSchema = z.strictObject({
  /** https, or http on this computer only (a local MinIO, the tests' server); checked in the core. */
  endpoint: z.string().trim().min(1).max(500),
  region: z.string().trim().min(1).max(64).regex(/^[a-z0-9-]+$/, 'A region is lowercase letters, digits and dashes (us-east-1, auto)'),
  // S3's bucket naming rules (docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).
  bucket: z.string().trim().min(3).max(63).regex(/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/, 'A bucket name is lowercase letters, digits, dots and dashes'),
  pathStyle: z.boolean(),
  accessKeyId: z.string().trim().min(1).max(200),
  /** Absent: keep the saved key. */
  secretAccessKey: z.string().trim().min(1).max(500).optional(),
});
export type MediaStorageInput = z.infer<typeof mediaStorageInputSchema>;

/** One step of "Test this bucket": write a small object, read it back through a presigned
 *  address as a platform would, delete it. A step after a failed write is `skipped`. */
export const mediaStorageTestStepSchema = z.strictObject({
  step: z.enum(['write', 'read', 'delete']),
  outcome: z.enum(['ok', 'failed', 'skipped']),
  message: z.string(),
  /** The failure's stable code (media_storage_rejected, network_unreachable, ...). */
  code: z.string().optional(),
});
export type MediaStorageTestStep = z.infer<typeof mediaStorageTestStepSchema>;

/** What to do with a scheduled post whose time passed while Localpost was closed or asleep. */
export const missedSchedulePolicySchema = z.enum(['publish', 'ask', 'skip']);
export type MissedSchedulePolicy = z.infer<typeof missedSchedulePolicySchema>;

/** How the app looks: as the system is set (prefers-color-scheme), or always light or dark. */
export const themeChoiceSchema = z.enum(['system', 'light', 'dark']);
export type ThemeChoice = z.infer<typeof themeChoiceSchema>;

export const settingsSchema = z.strictObject({
  requireAltText: z.boolean(),
  missedSchedule: missedSchedulePolicySchema,
  defaultLanguage: z.string().min(2).max(35),
  /** The Graph API version Facebook Pages and Instagram are called with (src-shared/metaGraphApi.ts). */
  metaGraphApiVersion: z.string().regex(metaGraphApiVersionPattern, 'Write it as Meta does, like v24.0'),
  theme: themeChoiceSchema,
});
export type Settings = z.infer<typeof settingsSchema>;

const passphrase = z.string().min(8, 'Use at least 8 characters').max(1024);

/** What each platform needs to connect an account, told apart by `platform`. A platform without
 *  a shape here does not compile (the `satisfies`); the union below is built from all of them. */
export const connectInputs = {
  bluesky: z.strictObject({
    platform: z.literal('bluesky'),
    handle: z.string().max(253),
    appPassword: z.string().max(256),
    service: z.string().max(2048),
    authFactorToken: z.string().max(64).optional(),
    confirm: connectConfirm,
  }),
  // mastodon.social, https://mastodon.social, or @alice@mastodon.social. The call lasts until the
  // user has answered the instance's consent page in the system browser (or it times out).
  mastodon: z.strictObject({ platform: z.literal('mastodon'), instance: z.string().max(300), confirm: connectConfirm }),
  // Uses the X developer app saved in Settings (developer_app_missing when there is none); lasts
  // until the user has answered X's consent page in the system browser (or it times out).
  x: z.strictObject({ platform: z.literal('x') }),
  discord: z.strictObject({ platform: z.literal('discord'), webhookUrl: z.string().max(512) }),
  slack: z.strictObject({ platform: z.literal('slack'), webhookUrl: z.string().max(512), label: z.string().trim().min(1).max(80) }),
  telegram: z.strictObject({ platform: z.literal('telegram'), botToken: z.string().max(256), chatId: z.string().max(128) }),
  // Uses the LinkedIn developer app saved in Settings; lasts until the member answers LinkedIn's consent page.
  linkedin: z.strictObject({ platform: z.literal('linkedin') }),
  // Uses the Pinterest developer app saved in Settings, like X.
  pinterest: z.strictObject({ platform: z.literal('pinterest') }),
  // Uses the TikTok developer app saved in Settings, like X.
  tiktok: z.strictObject({ platform: z.literal('tiktok') }),
  // Uses the Threads app saved in Settings (the Meta app's Threads use case).
  threads: z.strictObject({ platform: z.literal('threads') }),
  // Uses the Instagram app saved in Settings (the Meta app's Instagram API with Instagram Login).
  instagram: z.strictObject({ platform: z.literal('instagram') }),
  // Uses the Meta app saved in Settings (Facebook Login); one sign-in connects every Page it may post to.
  facebook: z.strictObject({ platform: z.literal('facebook') }),
  // Uses the Google Cloud OAuth client (a Desktop app) saved in Settings.
  youtube: z.strictObject({ platform: z.literal('youtube') }),
} as const satisfies { [P in Platform]: z.ZodType<{ platform: P }> };

type ConnectShape = (typeof connectInputs)[Platform];
export const connectInputSchema = z.discriminatedUnion('platform', Object.values(connectInputs) as [ConnectShape, ...ConnectShape[]]);
export type ConnectInput<P extends Platform = Platform> = Extract<z.output<typeof connectInputSchema>, { platform: P }>;

// ---------------------------------------------------------------------------------------------
// Methods: name → input and output schemas. The name is also the IPC channel.

const none = z.strictObject({});
const byId = z.strictObject({ id });
const connected = z.strictObject({
  account: accountSchema,
  updatedExisting: z.boolean(),
  // A sign-in that brings several accounts at once (a Facebook login: each Page the user may post
  // to): the others, besides `account`, and what was left out and why.
  alsoConnected: z.array(accountSchema).optional(),
  notes: z.array(z.string()).optional(),
});
const byPost = z.strictObject({ postId: id });
/** A wall time (`YYYY-MM-DDTHH:mm`, a datetime-local value) in an IANA time zone. */
const schedule = z.strictObject({
  local: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'Use YYYY-MM-DDTHH:mm'),
  zone: z.string().min(1).max(64),
});

/**
 * A request from an AI assistant (through `localpost mcp`) to publish or schedule a draft, waiting
 * for the user. What it shows is the draft as it is now; `contentHash` is the hash of exactly
 * that, and an approval names it: a draft changed since it was shown needs a new look.
 */
export const approvalStatusSchema = z.enum(['awaiting_approval', 'approved', 'rejected']);
export type ApprovalStatus = z.infer<typeof approvalStatusSchema>;
export const approvalSchema = z.strictObject({
  id,
  profileId: id,
  /** The assistant's name as its MCP client gave it ("Claude Desktop"); not proof of anything. */
  clientName: z.string(),
  kind: z.enum(['publish', 'schedule']),
  status: approvalStatusSchema,
  draftId: id.nullable(),
  /** The main text and the replies of its reply chain. */
  text: z.string(),
  replies: z.array(z.string()),
  images: z.array(z.strictObject({ id, alt: z.string(), previewDataUrl: z.string() })),
  video: z.strictObject({ id, alt: z.string(), durationSeconds: z.number() }).nullable(),
  /** Each account, with the posts it would publish: its own text or the main one, cut as it would be. */
  targets: z.array(z.strictObject({ accountId: id, platform: platformSchema, handle: z.string(), posts: z.array(z.string()) })),
  schedule: schedule.nullable(),
  contentHash: z.string(),
  /** The draft changed after the assistant asked (by the assistant or the user). */
  changedSinceRequest: z.boolean(),
  postId: id.nullable(),
  requestedAt: z.number(),
  decidedAt: z.number().nullable(),
});
export type Approval = z.infer<typeof approvalSchema>;

/** An assistant that has called Localpost, and whether it still may. */
export const aiClientSchema = z.strictObject({
  name: z.string(),
  enabled: z.boolean(),
  firstSeenAt: z.number(),
  lastSeenAt: z.number(),
});
export type AiClient = z.infer<typeof aiClientSchema>;

/** One call an assistant made, for the audit list. */
export const aiRequestSchema = z.strictObject({
  clientName: z.string(),
  method: z.string(),
  at: z.number(),
  outcome: z.string(),
});
export type AiRequest = z.infer<typeof aiRequestSchema>;

/** The MCP clients Localpost can set up. */
export const mcpClientIdSchema = z.enum(['claude-desktop', 'cursor', 'vscode']);
export type McpClientId = z.infer<typeof mcpClientIdSchema>;

/** How each MCP client is told to start `localpost mcp`: the command, and each client's own entry
 *  (`config`, the JSON to paste, as text) with the file it belongs in on this computer. */
export const mcpClientSetupSchema = z.strictObject({
  command: z.string(),
  args: z.array(z.string()),
  clients: z.array(z.strictObject({ id: mcpClientIdSchema, name: z.string(), configPath: z.string(), config: z.string() })),
});
export type McpClientSetup = z.infer<typeof mcpClientSetupSchema>;

export const methods = {
  'app.info': {
    input: none,
    // timeZone: the system's IANA zone, the schedule's default.
    output: z.strictObject({ version: z.string(), locale: z.string(), timeZone: z.string() }),
  },

  'profiles.list': {
    input: none,
    output: z.strictObject({ profiles: z.array(profileSchema), activeId: id }),
  },
  'profiles.create': { input: z.strictObject({ name: z.string().trim().min(1).max(80) }), output: profileSchema },
  'profiles.rename': { input: z.strictObject({ id, name: z.string().trim().min(1).max(80) }), output: profileSchema },
  'profiles.switch': { input: byId, output: z.strictObject({ activeId: id }) },

  'accounts.list': { input: none, output: z.array(accountSchema) },
  'accounts.connect': {
    // One method for every platform; `platform` says which shape the rest of the input has
    // (connectInputs). It lasts as long as the platform's sign-in does.
    input: connectInputSchema,
    output: connected,
  },
  'accounts.completeSignIn': {
    // Paste fallback: the address the browser landed on after consent, for a sign-in in progress
    // whose redirect could not reach Localpost by itself. The waiting connect call then settles.
    input: z.strictObject({ pastedUrl: z.string().max(4096) }),
    output: none,
  },
  'accounts.setSpendingCap': {
    input: z.strictObject({ id, postsPer30Days: z.number().int().min(0).max(100_000) }),
    output: accountSchema,
  },
  'accounts.check': { input: byId, output: accountSchema },
  'accounts.disconnect': { input: byId, output: none },

  // The boards an account can post to (Pinterest). The list is cached, so the composer shows it
  // offline; `refresh` asks the platform again. A platform without boards is `invalid_input`.
  'boards.list': {
    input: z.strictObject({ accountId: id, refresh: z.boolean() }),
    output: z.strictObject({ boards: z.array(boardSchema), fetchedAt: z.number() }),
  },
  // A public board: a secret one needs scopes (boards:write_secret) Localpost does not ask for.
  'boards.create': {
    input: z.strictObject({ accountId: id, name: z.string().trim().min(1).max(180) }),
    output: boardSchema,
  },

  // What a creator may post now (TikTok's creator_info: privacy levels, comment, duet and stitch,
  // longest video), asked each time the composer targets the account: the platform wants it read
  // before every post. A platform without it is `invalid_input`.
  'creatorInfo.get': {
    input: z.strictObject({ accountId: id }),
    output: tiktokCreatorSchema,
  },

  'drafts.list': { input: none, output: z.array(draftSchema) },
  /** One page of the drafts, most recently edited first; pass `nextCursor` for the next (null: the end). */
  'drafts.page': {
    input: z.strictObject({ cursor: z.string().max(512).nullable().optional(), limit: z.number().int().min(1).max(200) }),
    output: z.strictObject({ drafts: z.array(draftSchema), nextCursor: z.string().nullable() }),
  },
  'drafts.create': { input: none, output: draftSchema },
  'drafts.get': { input: byId, output: draftSchema },
  'drafts.save': {
    input: z.strictObject({
      id,
      text: z.string().max(100_000),
      targetAccountIds: z.array(id).max(100),
      langs: z.array(z.string().min(2).max(35)).max(3),
      // Optional, so that a save from before these fields existed keeps the stored values.
      contentWarning: z.string().max(1000).optional(),
      visibility: mastodonVisibilitySchema.optional(),
      /** Replaces the stored options as a whole when present. */
      platformOptions: platformPostOptionsSchema.optional(),
      replies: z.array(z.string().max(100_000)).max(100).optional(),
      /** Replaces the stored variants as a whole when present. */
      variants: textVariantsSchema.optional(),
      splitLongPosts: z.boolean().optional(),
    }),
    output: z.strictObject({ updatedAt: z.number() }),
  },
  'drafts.delete': { input: byId, output: none },
  'drafts.addImage': {
    input: z.strictObject({
      draftId: id,
      fileName: shortText,
      // Structured clone carries a Uint8Array across the bridge (picked, dropped or pasted alike).
      // The core refuses a file over src-shared's maxImageFileBytes as `media_too_large`, and one
      // whose first bytes are not an image as `media_unsupported`.
      bytes: z.instanceof(Uint8Array),
    }),
    output: draftImageSchema,
  },
  'drafts.setImageAlt': {
    input: z.strictObject({ draftId: id, imageId: id, alt: z.string().max(2000) }),
    output: none,
  },
  'drafts.removeImage': { input: z.strictObject({ draftId: id, imageId: id }), output: none },
  /** The draft's images in this order (published in it too); it must name each of them once. */
  'drafts.reorderImages': {
    input: z.strictObject({ draftId: id, imageIds: z.array(id).max(100) }),
    output: none,
  },
  'drafts.refreshLinkCard': {
    input: z.strictObject({ draftId: id }),
    output: z.strictObject({
      linkCard: linkCardSchema.nullable(),
      /** Why the link got no card (no page, not public, no title...), to say so calmly. */
      noPreview: bridgeErrorSchema.optional(),
    }),
  },
  'drafts.removeLinkCard': { input: z.strictObject({ draftId: id }), output: none },
  'drafts.preflight': { input: byId, output: z.array(preflightIssueSchema) },
  // A video never crosses the bridge: the core asks the user for the file in the OS's own open
  // dialog, probes it and streams it into the draft's folder. `cancelled` when the dialog was.
  'drafts.addVideo': { input: z.strictObject({ draftId: id }), output: addVideoOutput },
  /**
   * A video dropped on the composer. The page never names a path: it hands the preload the dropped
   * File (see `PreloadInputs`), the preload asks Electron where that file is on disk and only the
   * path crosses to the core, which checks it as the open dialog would and probes it. The path
   * the core gets is absolute, so the limit is a sane path length.
   */
  'drafts.addVideoFile': {
    input: z.strictObject({ draftId: id, path: z.string().min(1).max(4096) }),
    output: addVideoOutput,
  },
  'drafts.setVideoAlt': {
    input: z.strictObject({ draftId: id, videoId: id, alt: z.string().max(2000) }),
    output: none,
  },
  'drafts.removeVideo': { input: z.strictObject({ draftId: id, videoId: id }), output: none },
  /**
   * One key frame of the video and its decoder setup (WebCodecs' VideoDecoderConfig), for the
   * composer to decode into a poster; the video itself stays in the core.
   */
  'drafts.videoPosterSource': {
    input: z.strictObject({ draftId: id, videoId: id }),
    output: z.strictObject({
      codec: z.string(),
      codedWidth: z.number().int(),
      codedHeight: z.number().int(),
      description: z.instanceof(Uint8Array).nullable(),
      keyFrame: z.instanceof(Uint8Array),
      /** Degrees clockwise the frame turns to stand upright. */
      rotation: z.number().int(),
    }),
  },
  /** The poster the composer decoded, as a JPEG; the core re-encodes it like any image it is given. */
  'drafts.setVideoPoster': {
    input: z.strictObject({
      draftId: id,
      videoId: id,
      jpeg: z.instanceof(Uint8Array).refine((b) => b.byteLength <= 5 * 1024 * 1024, 'Poster is larger than 5 MB'),
    }),
    output: draftVideoSchema,
  },

  // The post leaves the drafts for the outbox; the call returns once each target's first attempt
  // has settled (or, offline, with the targets queued: they go when the network is back).
  'publish.now': { input: z.strictObject({ draftId: id }), output: postSchema },
  'publish.schedule': { input: z.strictObject({ draftId: id, schedule }), output: postSchema },
  'history.list': { input: none, output: z.array(postSchema) },
  /**
   * One page of the history, newest first, with what the user searched and filtered; pass the
   * page's `nextCursor` for the next (null: the end). `query` is plain words (each a prefix
   * search, all required), never search syntax.
   */
  'history.page': {
    input: z.strictObject({
      cursor: z.string().max(512).nullable().optional(),
      limit: z.number().int().min(1).max(200),
      query: z.string().max(500).optional(),
      accountIds: z.array(id).max(200).optional(),
      platforms: z.array(platformSchema).max(50).optional(),
      statuses: z.array(targetStatusSchema).max(10).optional(),
      from: z.number().int().optional(),
      to: z.number().int().optional(),
    }),
    output: z.strictObject({ posts: z.array(postSchema), nextCursor: z.string().nullable() }),
  },
  /** Posts not done yet: scheduled, missed, going out, or needing the user. */
  'outbox.list': { input: none, output: z.array(postSchema) },
  /**
   * One page of the posts not done yet, most urgent first (missed, needing the user, going out,
   * scheduled), then by when each is due; `waiting` is how many there are in all.
   */
  'outbox.page': {
    input: z.strictObject({ cursor: z.string().max(512).nullable().optional(), limit: z.number().int().min(1).max(200) }),
    output: z.strictObject({ posts: z.array(postSchema), nextCursor: z.string().nullable(), waiting: z.number().int() }),
  },
  /** Cancels every target of the post that has not gone out yet. */
  'outbox.cancel': { input: byPost, output: postSchema },
  'outbox.reschedule': { input: z.strictObject({ postId: id, schedule }), output: postSchema },
  /** A scheduled post that has not started goes back to the drafts, to be edited and sent again. */
  'outbox.edit': { input: byPost, output: draftSchema },
  /** Queues again the failed targets of a post, and only those. */
  'outbox.retry': { input: byPost, output: postSchema },
  /** The user settles an `unknown` target: it did go out, or send it again. */
  'outbox.resolveUnknown': {
    input: z.strictObject({ postId: id, accountId: id, resolution: z.enum(['was_published', 'send_again']) }),
    output: postSchema,
  },
  /** The user's answer for a missed schedule. */
  'outbox.decideMissed': { input: z.strictObject({ postId: id, decision: z.enum(['publish', 'skip']) }), output: postSchema },

  /**
   * The profile's posts whose calendar time (the scheduled time, or the creation for a post sent
   * at once) is in [from, to), earliest first, at most `limit` (`more` when there were others), and
   * the open posting slots in the range, read in `zone`. A range is at most 45 days.
   */
  'calendar.range': {
    input: z.strictObject({ from: z.number().int(), to: z.number().int(), zone: z.string().min(1).max(64), limit: z.number().int().min(1).max(5000).optional() }),
    output: z.strictObject({ posts: z.array(postSchema), more: z.boolean(), openSlots: z.array(openSlotSchema) }),
  },
  /** Every account of the profile that has slots, with them (sorted). */
  'postingSlots.list': { input: none, output: z.array(accountPostingSlotsSchema) },
  /** Replaces the account's slots as a whole (none: the account has no slots). */
  'postingSlots.set': { input: z.strictObject({ accountId: id, slots: z.array(postingSlotSchema).max(100) }), output: accountPostingSlotsSchema },
  /** Schedules the draft at its accounts' next free slot, read in `zone` (see nextFreeSlot). */
  'postingSlots.addToQueue': { input: z.strictObject({ draftId: id, zone: z.string().min(1).max(64) }), output: postSchema },

  // AI assistants. `approvals.request` is what `localpost mcp` calls for an assistant (the local
  // endpoint fills `clientName` from its session, whatever the caller said): it returns at once,
  // awaiting the user, who approves with the hash of what they were shown, or rejects.
  'approvals.request': { input: z.strictObject({ draftId: id, schedule: schedule.optional(), clientName: z.string().max(100) }), output: approvalSchema },
  'approvals.list': { input: none, output: z.array(approvalSchema) },
  'approvals.get': { input: byId, output: z.strictObject({ approval: approvalSchema, post: postSchema.nullable() }) },
  'approvals.approve': { input: z.strictObject({ id, contentHash: z.string().max(100) }), output: approvalSchema },
  'approvals.reject': { input: byId, output: approvalSchema },
  'aiClients.list': { input: none, output: z.strictObject({ clients: z.array(aiClientSchema), requests: z.array(aiRequestSchema) }) },
  'aiClients.setEnabled': { input: z.strictObject({ name: z.string().max(100), enabled: z.boolean() }), output: aiClientSchema },
  'aiClients.setup': { input: none, output: mcpClientSetupSchema },
  /** Writes the `localpost` server into that client's configuration file, only on the user's click. */
  'aiClients.writeConfig': { input: z.strictObject({ client: mcpClientIdSchema }), output: z.strictObject({ configPath: z.string() }) },

  'developerApps.get': { input: z.strictObject({ platform: developerAppPlatformSchema }), output: developerAppSchema },
  'developerApps.save': { input: developerAppInputSchema, output: developerAppSchema },
  /** Asks the platform's token endpoint whether it takes the app's id and secret, as typed (an
   *  absent secret: the saved one); nothing is saved. Refused: `developer_app_rejected`. */
  'developerApps.test': { input: developerAppInputSchema, output: z.strictObject({ message: z.string() }) },

  /** The saved bucket, or null. */
  'mediaStorage.get': { input: none, output: mediaStorageSchema.nullable() },
  'mediaStorage.save': { input: mediaStorageInputSchema, output: mediaStorageSchema },
  /** Tries the bucket as typed (an absent secret: the saved one), step by step; nothing is saved. */
  'mediaStorage.test': { input: mediaStorageInputSchema, output: z.strictObject({ ok: z.boolean(), steps: z.array(mediaStorageTestStepSchema) }) },
  /** Forgets the bucket and its keys (the bucket itself and what is in it stay the user's). */
  'mediaStorage.remove': { input: none, output: none },

  'settings.get': { input: none, output: settingsSchema },
  'settings.update': { input: settingsSchema.partial().strict(), output: settingsSchema },

  'vault.status': { input: none, output: vaultStatusSchema },
  'vault.usePassphrase': {
    // The current passphrase is required to change one that already protects the vault.
    input: z.strictObject({ passphrase, currentPassphrase: z.string().max(1024).optional() }),
    output: vaultStatusSchema,
  },
  'vault.unlock': { input: z.strictObject({ passphrase: z.string().max(1024) }), output: vaultStatusSchema },
  'vault.useSessionOnly': { input: none, output: vaultStatusSchema },
  'vault.acknowledgeBackendChange': { input: none, output: vaultStatusSchema },
  /** Asks the OS key store for the vault key again (after the user unlocked their keyring). */
  'vault.retryUnlock': { input: none, output: vaultStatusSchema },
  /** The user's explicit choice: delete every saved sign-in and start a new key. */
  'vault.forgetSignIns': { input: none, output: vaultStatusSchema },

  'links.openExternal': { input: z.strictObject({ url: z.string().max(4096) }), output: none },

  // The user's data, theirs to see, take or erase. No path crosses: the core knows the data
  // folder, and the user picks where an export goes in the OS's own dialog.
  /** Opens the data folder in the OS file manager. */
  'data.showFolder': { input: none, output: none },
  /** Asks for a folder, then writes `Localpost export <date>/` there (docs/export-format.md). */
  'data.export': {
    input: none,
    output: z.discriminatedUnion('outcome', [
      z.strictObject({ outcome: z.literal('cancelled') }),
      z.strictObject({
        outcome: z.literal('saved'),
        /** The export folder's own name, inside the folder the user chose. */
        folderName: z.string(),
        profiles: z.number().int(),
        accounts: z.number().int(),
        drafts: z.number().int(),
        posts: z.number().int(),
        mediaFiles: z.number().int(),
      }),
    ]),
  },
  /**
   * Ends each account's session at its platform first when `revokeAtPlatforms`, then deletes
   * credentials, database, media, logs and preferences, and starts Localpost afresh. `confirmation`
   * must be exactly `DELETE`, what the user typed to enable the button.
   */
  'data.eraseEverything': {
    input: z.strictObject({ revokeAtPlatforms: z.boolean(), confirmation: z.string().max(20) }),
    output: none,
  },
} as const satisfies Record<MethodName, { input: z.ZodType; output: z.ZodType }>;

export type Methods = typeof methods;
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Methods[M]['output']>;

// ---------------------------------------------------------------------------------------------
// Events main sends to the renderer.

export const events = {
  'accounts.changed': z.strictObject({ profileId: id }),
  'history.changed': z.strictObject({ profileId: id }),
  /** The outbox changed; `waiting` is how many of the profile's posts are not done. */
  'outbox.changed': z.strictObject({ profileId: id, waiting: z.number().int() }),
  /**
   * A target's upload moved on (its `progress`, as the post would show it): a bar moving, not a
   * change of the post, so nothing needs reloading. Throttled to a few a second per target, and
   * sent only for the active profile, the one on screen.
   */
  'upload.progress': uploadProgressEventSchema,
  'vault.changed': vaultStatusSchema,
  'profiles.changed': z.strictObject({ activeId: id }),
  /** A sign-in will end and cannot be renewed without the user (LinkedIn's 60 days, ...). */
  'token.expiring': z.strictObject({ accountId: id, profileId: id, handle: z.string(), expiresAt: z.number(), reason: z.string() }),
  /** The platform refused the grant: the account needs to be reconnected. */
  'token.revoked': z.strictObject({ accountId: id, profileId: id, handle: z.string(), reason: z.string() }),
  /** An assistant asked to publish, or a request was decided; `waiting` is how many wait for the user. */
  'approvals.changed': z.strictObject({ profileId: id, waiting: z.number().int() }),
} as const satisfies Record<EventName, z.ZodType>;

export type Events = typeof events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

// ---------------------------------------------------------------------------------------------
// The shape the preload exposes: `api.accounts.connect(input)`, grouped by the part of the
// method name before the dot, and one `on(event, listener)` that returns an unsubscribe function.

type Split<S extends string> = S extends `${infer G}.${infer M}` ? [G, M] : never;
type Group<M extends MethodName> = Split<M>[0];

/**
 * Methods whose input the page gives the preload in another shape than the one that crosses to
 * main: a dropped video is handed over as the File itself, and the preload sends its path
 * (webUtils.getPathForFile), so a page can only ever name a file the user dropped.
 */
export interface PreloadInputs {
  'drafts.addVideoFile': { draftId: string; file: File };
}

type PageInput<M extends MethodName> = M extends keyof PreloadInputs ? PreloadInputs[M] : MethodInput<M>;

export type Api = {
  [G in Group<MethodName>]: {
    [M in MethodName as Split<M>[0] extends G ? Split<M>[1] : never]: (
      input: PageInput<M>,
    ) => Promise<Result<MethodOutput<M>>>;
  };
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};
