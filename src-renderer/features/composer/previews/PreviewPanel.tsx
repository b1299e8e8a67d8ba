// The composer's Preview: one tab per chosen account, showing the post as that platform will.
// It follows the draft in the same render as the keystroke, so the counters and the preview show
// a keystroke in the same frame (deferred with useDeferredValue, each keystroke cost two renders
// and two frames, the preview always in the later one). It renders again only when the draft or
// the accounts change, and a preview's text is worked out once per text (RichText). The previews'
// code (every platform's layout, and the library that finds links) loads with the first preview
// shown, not with the page.
import { Suspense, memo, useMemo, useState, type KeyboardEvent } from 'react';
import type { Account } from '../../../bridge';
import { targetLabel } from '../../../../src-shared/compose/preflight';
import { useAppStore } from '../../../state/store';
import { lazyComponent } from '../../../ui/lazyComponent';
import { PlatformLogo, platformNames } from '../../accounts/platforms';
import { previewParts } from './previewParts';

const PostPreview = lazyComponent(() => import('./PostPreview').then((m) => m.PostPreview));

export const PreviewPanel = memo(function PreviewPanel() {
  const composer = useAppStore((s) => s.composer);
  const accounts = useAppStore((s) => s.accounts);
  const [chosen, setChosen] = useState<string | null>(null);
  const targetIds = composer?.targetAccountIds;
  const targets = useMemo(() => (accounts ?? []).filter((account) => targetIds?.includes(account.id)), [accounts, targetIds]);
  const selected = targets.find((account) => account.id === chosen) ?? targets[0];
  const drafted = useMemo(() => (composer && selected ? previewParts(composer, selected) : []), [composer, selected]);
  // The same parts while their texts are the same (a platform with a text of its own, as the main
  // text is typed), so its preview is left alone.
  const partsKey = drafted.join('\u0000');
  const parts = useMemo(() => drafted, [partsKey]);
  if (!composer) return null;

  return (
    <section className="preview-panel" aria-labelledby="preview-title">
      <h2 id="preview-title" className="section-label">
        Preview
      </h2>
      {!selected ? (
        <p className="muted">Choose an account under “Post to” to see how the post will look there.</p>
      ) : (
        <>
          <PreviewTabs targets={targets} selectedId={selected.id} onChoose={setChosen} />
          <div id="preview-tabpanel" role="tabpanel" className="preview-tabpanel" aria-labelledby={tabId(selected.id)} tabIndex={0}>
            <Suspense fallback={<div className="preview-loading" aria-busy="true" />}>
              <PostPreview
                key={selected.id}
                account={selected}
                parts={parts}
                images={composer.images}
                video={composer.video}
                linkCard={composer.linkCard}
                contentWarning={composer.contentWarning}
                platformOptions={composer.platformOptions}
              />
            </Suspense>
          </div>
        </>
      )}
    </section>
  );
});

/** One tab per chosen account: the same as the text is typed, so a keystroke leaves them alone. */
const PreviewTabs = memo(function PreviewTabs({ targets, selectedId, onChoose }: { targets: Account[]; selectedId: string; onChoose(accountId: string): void }) {
  const choose = (index: number) => {
    const account = targets[(index + targets.length) % targets.length]!;
    onChoose(account.id);
    document.getElementById(tabId(account.id))?.focus();
  };
  // The arrow keys move between tabs, Home and End to the ends (WAI-ARIA tabs pattern).
  const onKeyDown = (event: KeyboardEvent, index: number) => {
    const to = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: targets.length - 1 }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    choose(to);
  };
  return (
    <div className="preview-tabs" role="tablist" aria-label="Preview on">
      {targets.map((account, index) => (
        <button
          key={account.id}
          type="button"
          role="tab"
          id={tabId(account.id)}
          className="preview-tab"
          aria-selected={account.id === selectedId}
          aria-controls="preview-tabpanel"
          tabIndex={account.id === selectedId ? 0 : -1}
          onClick={() => onChoose(account.id)}
          onKeyDown={(event) => onKeyDown(event, index)}
        >
          <PlatformLogo platform={account.platform} small />
          {targetLabel(account)}
          <span className="visually-hidden"> on {platformNames[account.platform]}</span>
        </button>
      ))}
    </div>
  );
});

function tabId(accountId: string): string {
  return `preview-tab-${accountId}`;
}
