// What only TikTok has, shown once a TikTok account is chosen (its `PostOptions` in the platform
// registry), drawn as TikTok's Content Posting API requires (content-sharing-guidelines): the
// creator's settings read from TikTok first (creatorInfo.get, asked again each time the composer
// opens the account), who can see the video chosen among the levels TikTok returns with none chosen
// for the user, comments, duets and stitches off until turned on and not offered where the creator
// turned them off, the longest video the creator may post, and the commercial content disclosure
// with TikTok's own declaration. What TikTok said is kept with the draft, so preflight checks the
// choices against it (tiktok.privacy_level, tiktok.duration, tiktok.disclosure).
import { useEffect, useState } from 'react';
import { emptyTikTokFields, tiktokDeclaration, tiktokDisclosureLabel, tiktokPrivacyLabels } from '../../../src-shared/tiktok';
import { api, call, type Account, type BridgeError, type TikTokCreatorInfo } from '../../bridge';
import { useAppStore } from '../../state/store';
import { ErrorAlert } from '../../ui/ErrorAlert';

/** `accounts`: the TikTok accounts the post goes to. */
export function TikTokOptions({ accounts }: { accounts: Account[] }) {
  const tiktok = useAppStore((s) => s.composer?.platformOptions.tiktok ?? emptyTikTokFields);
  const editTikTok = useAppStore((s) => s.editTikTok);
  const creators = accounts.map((account) => tiktok.creators[account.id]).filter((creator): creator is TikTokCreatorInfo => creator !== undefined);
  const offered = (disabled: (creator: TikTokCreatorInfo) => boolean) => creators.length === 0 || creators.some((creator) => !disabled(creator));
  const disclosureLabel = tiktokDisclosureLabel(tiktok);

  return (
    <fieldset className="platform-options">
      <legend className="section-label">On TikTok</legend>
      <div className="pin-fields">
        {accounts.map((account) => (
          <CreatorSettings key={account.id} account={account} label={accounts.length === 1 ? 'Who can see this video' : `Who can see this video on ${account.displayName ?? account.handle}`} />
        ))}
        <div className="field">
          <span className="field-label">Let viewers</span>
          {offered((creator) => creator.commentDisabled) && (
            <Toggle id="tiktok-comment" label="Comment" checked={tiktok.allowComment} onChange={(allowComment) => editTikTok({ allowComment })} />
          )}
          {offered((creator) => creator.duetDisabled) && (
            <Toggle id="tiktok-duet" label="Duet" checked={tiktok.allowDuet} onChange={(allowDuet) => editTikTok({ allowDuet })} />
          )}
          {offered((creator) => creator.stitchDisabled) && (
            <Toggle id="tiktok-stitch" label="Stitch" checked={tiktok.allowStitch} onChange={(allowStitch) => editTikTok({ allowStitch })} />
          )}
          <p className="field-hint">Off unless you turn them on; not offered where you turned them off in TikTok.</p>
        </div>
        <div className="field">
          <Toggle
            id="tiktok-disclose"
            label="Disclose video content"
            hint="Turn on if this video promotes yourself, a brand, a product or a service."
            checked={tiktok.disclose}
            onChange={(disclose) => editTikTok({ disclose })}
          />
          {tiktok.disclose && (
            <div className="tiktok-disclosure">
              <Toggle
                id="tiktok-your-brand"
                label="Your brand"
                hint="You are promoting yourself or your own business."
                checked={tiktok.yourBrand}
                onChange={(yourBrand) => editTikTok({ yourBrand })}
              />
              <Toggle
                id="tiktok-branded-content"
                label="Branded content"
                hint="You are promoting another brand or a third party (paid partnership). It cannot be private."
                checked={tiktok.brandedContent}
                onChange={(brandedContent) => editTikTok({ brandedContent })}
              />
              {disclosureLabel && <p className="field-hint">{disclosureLabel}</p>}
            </div>
          )}
        </div>
        <p className="field-hint" data-testid="tiktok-declaration">
          {tiktokDeclaration(tiktok)}
        </p>
      </div>
    </fieldset>
  );
}

/** One account's creator settings from TikTok, and its audience: none chosen until the user picks. */
function CreatorSettings({ account, label }: { account: Account; label: string }) {
  const creator = useAppStore((s) => s.composer?.platformOptions.tiktok?.creators[account.id]);
  const chosen = useAppStore((s) => s.composer?.platformOptions.tiktok?.privacy[account.id]);
  const editTikTok = useAppStore((s) => s.editTikTok);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<BridgeError | null>(null);
  const groupId = `tiktok-privacy-${account.id}`;

  const load = async () => {
    setLoading(true);
    const result = await call(api.creatorInfo.get({ accountId: account.id }));
    setLoading(false);
    if (!result.ok) return setError(result.error);
    setError(null);
    // Read at the moment of the answer: two accounts loading at once must not undo each other.
    const current = useAppStore.getState().composer?.platformOptions.tiktok ?? emptyTikTokFields;
    const privacy = { ...current.privacy };
    // A choice TikTok no longer offers is dropped: the user chooses again.
    if (privacy[account.id] && !result.value.privacyLevels.includes(privacy[account.id]!)) delete privacy[account.id];
    editTikTok({ creators: { ...current.creators, [account.id]: result.value }, privacy });
  };

  useEffect(() => {
    // TikTok wants creator_info read before each post: every time the composer shows the account.
    void load();
  }, [account.id]);

  const choose = (level: string) => {
    const current = useAppStore.getState().composer?.platformOptions.tiktok ?? emptyTikTokFields;
    editTikTok({ privacy: { ...current.privacy, [account.id]: level as keyof typeof tiktokPrivacyLabels } });
  };

  return (
    <div className="field" role="radiogroup" aria-labelledby={`${groupId}-label`} aria-busy={loading}>
      <span id={`${groupId}-label`} className="field-label">
        {label}
      </span>
      {creator ? (
        <>
          <p className="field-hint">
            Posting as {creator.nickname || account.displayName || account.handle}
            {creator.username ? ` (@${creator.username})` : ''}. Videos up to {creator.maxVideoSeconds} seconds.
          </p>
          {creator.onlyPrivate && (
            <p className="field-hint" data-testid="tiktok-unaudited">
              Your TikTok developer app is not audited yet, so TikTok lets it post only privately (“Only me”), and only while
              the TikTok account itself is set to private.
            </p>
          )}
          {creator.privacyLevels.map((level) => (
            <div key={level} className="check-field">
              <input
                id={`${groupId}-${level}`}
                type="radio"
                name={groupId}
                value={level}
                checked={chosen === level}
                onChange={() => choose(level)}
              />
              <label htmlFor={`${groupId}-${level}`} className="check-label">
                {tiktokPrivacyLabels[level]}
              </label>
            </div>
          ))}
        </>
      ) : (
        <p className="field-hint">{loading ? 'Reading your TikTok settings…' : 'Your TikTok settings are not loaded.'}</p>
      )}
      <div>
        <button type="button" className="button button-small" disabled={loading} onClick={() => void load()}>
          Read again from TikTok
        </button>
      </div>
      {error && <ErrorAlert error={error} onDismiss={() => setError(null)} />}
    </div>
  );
}

function Toggle({ id, label, hint, checked, onChange }: { id: string; label: string; hint?: string; checked: boolean; onChange(checked: boolean): void }) {
  return (
    <div className="check-field">
      <input id={id} type="checkbox" className="checkbox" checked={checked} aria-describedby={hint ? `${id}-hint` : undefined} onChange={(e) => onChange(e.target.checked)} />
      <div>
        <label htmlFor={id} className="check-label">
          {label}
        </label>
        {hint && (
          <p id={`${id}-hint`} className="field-hint">
            {hint}
          </p>
        )}
      </div>
    </div>
  );
}
