// The card Bluesky will show for the first link in the text, fetched by the core. Removing it
// is remembered for that link, so it does not come back on the next keystroke. A link that gets no
// card (a page on a private address, a page without a title) is not an error: one quiet line says
// so, in the muted text of a hint.
import { memo } from 'react';
import { useAppStore } from '../../state/store';
import { CloseIcon } from '../../ui/icons';

export const LinkCardPreview = memo(function LinkCardPreview() {
  const card = useAppStore((s) => s.composer?.linkCard ?? null);
  const noPreview = useAppStore((s) => s.composer?.noPreview);
  const removeLinkCard = useAppStore((s) => s.removeLinkCard);
  if (!card) {
    return noPreview ? (
      <p className="muted link-card-none" role="status" data-code={noPreview.code}>
        No preview for this link. {noPreview.message}
      </p>
    ) : null;
  }

  return (
    <section className="link-card" aria-label="Link card">
      {card.imageDataUrl && <img src={card.imageDataUrl} alt="" className="link-card-image" />}
      <div className="link-card-body">
        <p className="link-card-host">{hostOf(card.url)}</p>
        <p className="link-card-title">{card.title}</p>
        {card.description && <p className="link-card-description">{card.description}</p>}
      </div>
      <button
        type="button"
        className="icon-button link-card-remove"
        aria-label="Remove link card"
        title="Remove link card"
        onClick={() => void removeLinkCard()}
      >
        <CloseIcon />
      </button>
    </section>
  );
});

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
