// The composer's Preview: one tab per chosen account, showing the post as that platform will.
// It follows the draft as it is typed, a frame behind the keystroke if need be (useDeferredValue):
// the text field never waits for a preview. The previews' code (every platform's layout, and the
// library that finds links) loads with the first preview shown, not with the page.
import { Suspense, useDeferredValue, useState, type KeyboardEvent } from 'react';
import { targetLabel } from '../../../../src-shared/compose/preflight';
import { useAppStore } from '../../../state/store';
import { lazyComponent } from '../../../ui/lazyComponent';
import { PlatformLogo, platformNames } from '../../accounts/platforms';
import { previewParts } from './previewParts';

const PostPreview = lazyComponent(() => import('./PostPreview').then((m) => m.PostPreview));

export function PreviewPanel() {
  const composer = useDeferredValue(useAppStore((s) => s.composer));
  const accounts = useAppStore((s) => s.accounts);
  const [chosen, setChosen] = useState<string | null>(null);
  if (!composer) return null;
  const targets = (accounts ?? []).filter((account) => composer.targetAccountIds.includes(account.id));
  const selected = targets.find((account) => account.id === chosen) ?? targets[0];

  const choose = (index: number) => {
    const account = targets[(index + targets.length) % targets.length]!;
    setChosen(account.id);
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
    <section className="preview-panel" aria-labelledby="preview-title">
      <h2 id="preview-title" className="section-label">
        Preview
      </h2>
      {!selected ? (
        <p className="muted">Choose an account under “Post to” to see how the post will look there.</p>
      ) : (
        <>
          <div className="preview-tabs" role="tablist" aria-label="Preview on">
            {targets.map((account, index) => (
              <button
                key={account.id}
                type="button"
                role="tab"
                id={tabId(account.id)}
                className="preview-tab"
                aria-selected={account.id === selected.id}
                aria-controls="preview-tabpanel"
                tabIndex={account.id === selected.id ? 0 : -1}
                onClick={() => setChosen(account.id)}
                onKeyDown={(event) => onKeyDown(event, index)}
              >
                <PlatformLogo platform={account.platform} small />
                {targetLabel(account)}
                <span className="visually-hidden"> on {platformNames[account.platform]}</span>
              </button>
            ))}
          </div>
          <div id="preview-tabpanel" role="tabpanel" className="preview-tabpanel" aria-labelledby={tabId(selected.id)} tabIndex={0}>
            <Suspense fallback={<div className="preview-loading" aria-busy="true" />}>
              <PostPreview
                key={selected.id}
                account={selected}
                parts={previewParts(composer, selected)}
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
}

function tabId(accountId: string): string {
  return `preview-tab-${accountId}`;
}
