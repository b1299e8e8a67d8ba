// One section per platform the post goes to, side by side under the main text: the text it posts
// there (the main text until the user writes one of its own, for the platform or for one of its
// accounts) and the fields only that platform has (Mastodon's content warning, a pin's board and
// title, YouTube's title and privacy, TikTok's settings), from the platform registry.
import { Suspense, memo, useState } from 'react';
import type { Account } from '../../bridge';
import type { TextVariant } from '../../../src-shared/compose/postParts';
import { targetLabel } from '../../../src-shared/compose/preflight';
import { platformIds, type PlatformId } from '../../../src-shared/platformIds';
import { useAppStore } from '../../state/store';
import type { VariantScope } from '../../state/composerSlice';
import { PlatformLogo, platformNames, platformUi } from '../accounts/platforms';
import { ThreadEditor, withPost, withoutPost } from './ThreadEditor';

const noTargets: string[] = [];

export const PlatformSections = memo(function PlatformSections() {
  const targetIds = useAppStore((s) => s.composer?.targetAccountIds ?? noTargets);
  const accounts = useAppStore((s) => s.accounts);
  const targeted = (accounts ?? []).filter((account) => targetIds.includes(account.id));
  return (
    <>
      {platformIds.map((platform) => {
        const ofPlatform = targeted.filter((account) => account.platform === platform);
        return ofPlatform.length > 0 ? <PlatformSection key={platform} platform={platform} accounts={ofPlatform} /> : null;
      })}
    </>
  );
});

function PlatformSection({ platform, accounts }: { platform: PlatformId; accounts: Account[] }) {
  const { PostOptions } = platformUi[platform];
  const name = platformNames[platform];
  const headingId = `platform-section-${platform}`;
  return (
    <section className="platform-section" aria-labelledby={headingId} data-platform={platform}>
      <h2 id={headingId} className="platform-section-title">
        <PlatformLogo platform={platform} small />
        {name}
      </h2>
      <VariantEditor scope={{ platform }} label={name} follows="the main text" />
      {accounts.length > 1 &&
        accounts.map((account) => <VariantEditor key={account.id} scope={{ accountId: account.id }} label={targetLabel(account)} follows={`${name}'s text`} account={account} />)}
      {PostOptions && (
        // Its code loads when a target first needs it (see the platform registry).
        <Suspense fallback={null}>
          <PostOptions accounts={accounts} />
        </Suspense>
      )}
    </section>
  );
}

/**
 * A platform's or an account's own text. Until the user changes it, it follows what it would
 * otherwise post (the main text, or its platform's text) and says so; the first change makes it
 * its own, and "Use … again" lets it follow once more.
 */
function VariantEditor({ scope, label, follows, account }: { scope: VariantScope; label: string; follows: string; account?: Account }) {
  const hasDraft = useAppStore((s) => s.composer !== null);
  const own = useAppStore((s) => ('platform' in scope ? s.composer?.variants.platforms[scope.platform] : s.composer?.variants.accounts[scope.accountId]));
  const editVariant = useAppStore((s) => s.editVariant);
  const [open, setOpen] = useState(false);
  // What it says while it has no text of its own: for an account, whatever its platform says. Read
  // only while its editor shows it, so a keystroke in the main text leaves a closed one alone.
  const platformText = useAppStore((s) => (account ? s.composer?.variants.platforms[account.platform] : undefined));
  const showsMain = open && !own && !platformText;
  const mainText = useAppStore((s) => (showsMain ? s.composer?.text : undefined));
  const mainReplies = useAppStore((s) => (showsMain ? s.composer?.replies : undefined));
  if (!hasDraft) return null;
  const followed: TextVariant = platformText ?? { text: mainText ?? '', replies: mainReplies ?? [] };
  const key = 'platform' in scope ? scope.platform : scope.accountId;
  const status = own ? `Its own text for ${label}.` : `Follows ${follows}${open ? ' until you change it' : ''}.`;
  const save = (next: TextVariant) => editVariant(scope, next);

  return (
    <div className="variant" data-own={own !== undefined}>
      <div className="variant-status">
        <p className="variant-state" id={`variant-state-${key}`}>
          {status}
        </p>
        {own ? (
          <button type="button" className="button button-ghost button-small" onClick={() => { editVariant(scope, null); setOpen(false); }}>
            Use {follows} again
          </button>
        ) : (
          <button type="button" className="button button-ghost button-small" aria-expanded={open} onClick={() => setOpen(!open)}>
            {open ? 'Close' : `Write a version for ${label}`}
          </button>
        )}
      </div>
      {(own || open) && (
        <ThreadEditor
          id={`variant-text-${key}`}
          name={`Text for ${label}`}
          compact
          value={own ?? followed}
          onChangePost={(index, text) => save(withPost(own ?? followed, index, text))}
          onAddPost={() => save({ ...(own ?? followed), replies: [...(own ?? followed).replies, ''] })}
          onRemovePost={(index) => save(withoutPost(own ?? followed, index))}
        />
      )}
    </div>
  );
}
