// Up to four images, each with its preview and alt text. The file is read here only to hand its
// bytes to the core, which resizes it to Bluesky's limits and keeps the copy the draft owns.
import { useAppStore } from '../../state/store';
import { maxImagesPerDraft } from '../../../src-shared/platforms';
import { CloseIcon, ImageIcon } from '../../ui/icons';

export function AddImageButton() {
  const imageCount = useAppStore((s) => s.composer?.images.length ?? 0);
  const adding = useAppStore((s) => s.addingImages);
  const addImages = useAppStore((s) => s.addImages);
  const full = imageCount >= maxImagesPerDraft;

  return (
    <div className="add-image" data-disabled={full || adding}>
      <input
        id="add-image"
        type="file"
        accept="image/*"
        multiple
        className="visually-hidden file-input"
        disabled={full || adding}
        aria-describedby="add-image-count"
        onChange={(event) => {
          const files = [...(event.target.files ?? [])];
          // Cleared so choosing the same file again still fires a change.
          event.target.value = '';
          if (files.length > 0) void addImages(files);
        }}
      />
      <label htmlFor="add-image" className="button button-small file-button">
        <ImageIcon />
        Add image
      </label>
      <span id="add-image-count" className="muted add-image-count">
        {adding ? 'Adding…' : `${imageCount} / ${maxImagesPerDraft}`}
      </span>
    </div>
  );
}

export function ImageAttachments({ requireAltText }: { requireAltText: boolean }) {
  const images = useAppStore((s) => s.composer?.images);
  const editImageAlt = useAppStore((s) => s.editImageAlt);
  const removeImage = useAppStore((s) => s.removeImage);
  if (!images || images.length === 0) return null;

  return (
    <ul className="image-grid" data-count={images.length}>
      {images.map((image, index) => {
        const number = index + 1;
        const altId = `image-${image.id}-alt`;
        const missingAlt = requireAltText && image.alt.trim() === '';
        return (
          <li key={image.id} className="image-tile">
            <div className="image-frame">
              <img src={image.previewDataUrl} alt={image.alt || `Image ${number}`} className="image-preview" />
              <button
                type="button"
                className="icon-button image-remove"
                aria-label="Remove image"
                title="Remove image"
                onClick={() => void removeImage(image.id)}
              >
                <CloseIcon />
              </button>
            </div>
            <label htmlFor={altId} className="field-label">
              Alt text for image {number}
            </label>
            <textarea
              id={altId}
              className="input alt-text"
              rows={2}
              value={image.alt}
              maxLength={2000}
              placeholder="Describe it for people who can't see it"
              aria-invalid={missingAlt}
              onChange={(e) => editImageAlt(image.id, e.target.value)}
            />
          </li>
        );
      })}
    </ul>
  );
}
