// A real creator's archive for the history benchmark: posts across accounts on several platforms
// in the default profile's database, as years of use leave them. Nearly every post went out
// (published, a few failed for good); some wait in the queue for a time ahead; some drafts are
// still being written. Written through PostStore and DraftStore, so the rows, the search index
// and every key are what the app itself writes. With seedAccountCredentials, every account also
// has its sign-in in the vault, as connecting it leaves it.
import crypto from 'node:crypto';
import { platformIds, type PlatformId } from '../src-shared/platformIds';
import { secretIdFor } from '../src-main/core/accounts/accountStore';
import { openDatabase } from '../src-main/core/db/openDatabase';
import { DraftStore } from '../src-main/core/compose/draftStore';
import { createLogger } from '../src-main/core/log/logger';
import type { OAuthAccountCredential } from '../src-main/core/oauth/oauthAccounts';
import { PostStore } from '../src-main/core/outbox/postStore';
import type { KeyWrapper } from '../src-main/core/ports';
import { defaultProfileId } from '../src-main/core/profiles/profileStore';
import { Vault } from '../src-main/core/vault/vault';

export interface Archive {
  posts: number;
  accounts: number;
  /** Posts scheduled for a time ahead (the Queue). */
  scheduled: number;
  drafts: number;
}

const words = ['launch', 'release', 'weekly', 'digest', 'coffee', 'garden', 'meetup', 'photo', 'travel', 'podcast', 'update', 'thanks'];
/** Account `a<n>` is on platform n modulo 13: with 13 accounts, one on every platform. */
const platformOf = (account: number): PlatformId => platformIds[account % platformIds.length]!;

/**
 * Seeds `archive` into a data folder; `now` is when the newest post was sent. Its accounts are
 * made up (ids a0, a1, ...), or, given `accountIds`, those accounts of the default profile, already
 * connected: the archive is then theirs (`archive.accounts` is their number).
 */
export function seedArchive(dataDir: string, archive: Archive, now: number, accountIds?: string[]): void {
  const db = openDatabase(dataDir);
  const profileId = defaultProfileId;
  const ids = accountIds ?? Array.from({ length: archive.accounts }, (_, a) => `a${a}`);
  if (!accountIds) {
    for (let a = 0; a < archive.accounts; a++) {
      db.prepare(
        `INSERT INTO accounts (id, profile_id, platform, remote_id, handle, service, status, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 'https://example.test', 'connected', 0, 0)`,
      ).run(ids[a], profileId, platformOf(a), `r${a}`, `@bench${a}`);
    }
  }
  const store = new PostStore(db);
  let draftTime = now - archive.drafts * 60_000;
  const drafts = new DraftStore(db, { now: () => draftTime });
  const sent = archive.posts - archive.scheduled;
  // One outer transaction: each enqueue is then a savepoint, not an fsync.
  db.transaction(() => {
    for (let i = 0; i < archive.posts; i++) {
      const text = `Post ${i} about ${words[i % words.length]} and ${words[(i * 7) % words.length]} #localpost https://example.com/${i}`;
      const targets = [...new Set([0, 1, 2].map((k) => ids[(i + k * 5) % ids.length]!))];
      const scheduled = i >= sent;
      // A post every ten minutes or so up to now; the scheduled ones were written over the last day.
      const createdAt = scheduled ? now - 86_400_000 + (i - sent) * 1_000 : now - (sent - i) * 600_000;
      store.enqueue({
        profileId,
        draftId: `d${i}`,
        content: { text, langs: ['en'], contentWarning: '', visibility: 'public', images: [], linkCard: null },
        targets: targets.map((accountId) => ({ accountId, idempotencyKey: `k${i}-${accountId}` })),
        schedule: scheduled ? { at: now + (i - sent + 1) * 3_600_000, zone: 'UTC', local: '2030-01-01T00:00' } : null,
        createdAt,
      });
    }
    // What went out: published, one target in fifty failed for good.
    db.prepare(
      `UPDATE post_targets SET status = CASE WHEN (rowid % 50) = 0 THEN 'failed_permanent' ELSE 'published' END,
         attempts = 1, uri = 'at://bench/' || post_id, url = 'https://example.test/' || post_id
       WHERE post_id IN (SELECT id FROM posts WHERE scheduled_at IS NULL)`,
    ).run();
    const draftTargets = ids.slice(0, 2);
    for (let i = 0; i < archive.drafts; i++, draftTime += 60_000) {
      const id = drafts.create(profileId, { targetAccountIds: draftTargets, langs: ['en'] });
      drafts.save(profileId, { id, text: `Draft ${i}: notes about ${words[i % words.length]}`, targetAccountIds: draftTargets, langs: ['en'] });
    }
  })();
  // As the outbox does right after each post's commit: the posts join the search index.
  store.indexNewPosts();
  db.pragma('optimize');
  db.close();
}

/** A random token of `bytes` bytes, base64url, as platforms hand them out. */
const token = (bytes: number) => crypto.randomBytes(bytes).toString('base64url');

/** An OAuth grant as the OAuth engine saves it (oauth/oauthAccounts.ts), `lifetimeMs` long. */
function oauthGrant(platformName: string, tokenUrl: string, now: number, lifetimeMs: number, extra?: Record<string, string>): OAuthAccountCredential {
  return {
    platformName,
    endpoints: { tokenUrl, revokeUrl: tokenUrl.replace(/token$/, 'revoke') },
    client: { clientId: token(16), clientSecret: token(32) },
    tokens: { accessToken: token(96), refreshToken: token(48), expiresAt: now + lifetimeMs, obtainedAt: now - 3_600_000, scope: 'read write offline_access', tokenType: 'bearer' },
    ...(extra ? { extra } : {}),
  };
}

const day = 86_400_000;

/** What each platform's connect leaves in the vault: a session, a webhook, a bot token or an OAuth grant, with tokens of the sizes the platforms issue. */
const credentialFor: Record<PlatformId, (now: number, account: number) => unknown> = {
  bluesky: (_now, a) => ({
    session: { accessJwt: `eyJ${token(600)}`, refreshJwt: `eyJ${token(400)}`, handle: `bench${a}.bsky.social`, did: `did:plc:${token(18).toLowerCase()}`, active: true },
    pdsUrl: 'https://morel.us-east.host.bsky.network',
  }),
  mastodon: (now) => ({ ...oauthGrant('Mastodon', 'https://mastodon.example/oauth/token', now, 3650 * day), extra: { instance: 'https://mastodon.example', apiBase: 'https://mastodon.example' } }),
  x: (now) => oauthGrant('X', 'https://api.x.com/2/oauth2/token', now, 2 * 3_600_000),
  discord: () => ({ webhookId: String(1_200_000_000_000_000_000n + BigInt(crypto.randomInt(1e9))), webhookToken: token(51), guildId: null }),
  slack: () => ({ webhookPath: `/services/T${token(6).toUpperCase()}/B${token(7).toUpperCase()}/${token(18)}` }),
  telegram: () => ({ botToken: `${crypto.randomInt(1e9)}:${token(26)}`, chatId: -1_001_234_567_890, chatUsername: 'benchchannel' }),
  linkedin: (now) => oauthGrant('LinkedIn', 'https://www.linkedin.com/oauth/v2/accessToken', now, 60 * day),
  pinterest: (now) => oauthGrant('Pinterest', 'https://api.pinterest.com/v5/oauth/token', now, 30 * day),
  tiktok: (now) => oauthGrant('TikTok', 'https://open.tiktokapis.com/v2/oauth/token/', now, day),
  youtube: (now) => oauthGrant('YouTube', 'https://oauth2.googleapis.com/token', now, 3_600_000),
  threads: (now) => oauthGrant('Threads', 'https://graph.threads.net/oauth/access_token', now, 60 * day),
  facebook: (now) => oauthGrant('Facebook', 'https://graph.facebook.com/oauth/access_token', now, 60 * day),
  instagram: (now) => oauthGrant('Instagram', 'https://graph.instagram.com/refresh_access_token', now, 60 * day),
};

/**
 * Saves a sign-in for each of the archive's accounts in the data folder's vault, encrypted under
 * its data key, which `keyWrapper` wraps (the test key store stands in for the OS keychain). The
 * vault is created the first time, as the app's first start creates it.
 */
export async function seedAccountCredentials(dataDir: string, archive: Pick<Archive, 'accounts'>, keyWrapper: KeyWrapper, now: number): Promise<void> {
  const db = openDatabase(dataDir);
  try {
    const vault = new Vault({ db, keyWrapper, clock: { now: () => now }, log: createLogger('bench', []), onLostSecrets: () => {} });
    const status = await vault.open();
    if (status.locked || status.protection !== 'keyring') throw new Error(`The vault did not open under the key store: ${JSON.stringify(status)}`);
    for (let a = 0; a < archive.accounts; a++) vault.put(secretIdFor(`a${a}`), JSON.stringify(credentialFor[platformOf(a)](now, a)));
  } finally {
    db.close();
  }
}
